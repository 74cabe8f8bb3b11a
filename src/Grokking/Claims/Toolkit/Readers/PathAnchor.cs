namespace Grokking.Claims.Toolkit;

/// <summary>A weight vector of a run: member <c>Member</c> (seed <c>Seed</c>) at step <c>Step</c>.</summary>
public sealed record PathAnchor(int Member, long Seed, long Step);
