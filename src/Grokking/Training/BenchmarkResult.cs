namespace Grokking.Training;

/// <summary>One benchmark measurement: throughput of the engine and the FLOP rate it achieves.</summary>
public sealed record BenchmarkResult(
    string Name, int Members, long Steps, double Seconds, double StepsPerSecond, double EpochsPerSecond, double GflopPerSecond);
