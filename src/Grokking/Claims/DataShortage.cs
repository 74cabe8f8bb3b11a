namespace Grokking.Claims;

/// <summary>Data an experiment needs that are not on this machine: what is missing where, and the command that installs them.</summary>
public sealed record DataShortage(string Experiment, string Reason, string Fix);
