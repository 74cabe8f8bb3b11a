namespace Grokking.Claims.Scheduling;

/// <summary>What one piece of the suite cost when it was last measured: seconds, with the engine and the day.</summary>
/// <param name="Seconds">An experiment's training seconds on one lane, or a claim's analysis seconds (waiting excluded).</param>
/// <param name="Engine">The engine version that measured it (Training.EngineVersion).</param>
/// <param name="Measured">The day it was measured (UTC).</param>
public sealed record RecordedCost(double Seconds, string Engine, DateOnly Measured)
{
    /// <summary>
    /// True when the verify that measured it read the run from the cache: the seconds are the ones the cache recorded
    /// when the run was trained, on whatever machine and load that was, not this verify's. Such a cost fills a missing
    /// entry (a paper run finished across sessions is first recorded this way) but never replaces a recorded one.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingDefault)]
    public bool FromCache { get; init; }
}
