namespace Grokking.Training;

/// <summary>
/// Part of every run-cache key. Bump it whenever a change alters what a run computes (initialization, data
/// order, model, optimizer, metrics), so cached runs from an older engine are not reused.
/// </summary>
public static class EngineVersion
{
    public const string Value = "engine-2026.11.23.3";
}
