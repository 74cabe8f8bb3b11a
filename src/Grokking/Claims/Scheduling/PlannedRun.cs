namespace Grokking.Claims.Scheduling;

/// <summary>One run in a lane plan: its lane (0-based), when it starts and finishes (seconds from the start), and its recorded cost.</summary>
/// <param name="Seconds">The recorded training seconds; null when none is recorded (planned as taking no time).</param>
public sealed record PlannedRun(string Experiment, double? Seconds, int Lane, double Start, double Finish);
