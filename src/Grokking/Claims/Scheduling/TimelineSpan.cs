namespace Grokking.Claims.Scheduling;

/// <summary>
/// One piece of projected work: who does it ("lane 1", "foreground"), what ("train mc-grokking", "analyse MC-6"), and when
/// (seconds from the start).
/// </summary>
public sealed record TimelineSpan(string Worker, string Work, double Start, double Finish);
