namespace Grokking.Claims.Scheduling;

/// <summary>What one piece of the suite cost when it was last measured: seconds, with the engine and the day.</summary>
/// <param name="Seconds">An experiment's training seconds on one lane, or a claim's analysis seconds (waiting excluded).</param>
/// <param name="Engine">The engine version that measured it (Training.EngineVersion).</param>
/// <param name="Measured">The day it was measured (UTC).</param>
public sealed record RecordedCost(double Seconds, string Engine, DateOnly Measured);
