namespace Grokking.Claims.Scheduling;

/// <summary>A claim as the schedule sees it: the runs it reads (experiment names) and its recorded analysis seconds (0 unknown).</summary>
public sealed record ScheduledClaim(string Id, IReadOnlyList<string> Runs, double AnalysisSeconds);
