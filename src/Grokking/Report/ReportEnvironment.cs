using Grokking.Configuration;

namespace Grokking.Report;

/// <summary>Where and how a set of claims was verified (the report's environment block).</summary>
public sealed record ReportEnvironment(
    string GitCommit,
    string TorchSharpVersion,
    string LibTorchVersion,
    string Device,
    int Threads,
    Profile Profile,
    string Machine,
    string LibStdCxxShim,
    DateTimeOffset Started,
    double Seconds)
{
    /// <summary>
    /// The floating-point precision the runs computed in, in words (<see cref="Runtime.RuntimeInfo.PrecisionText"/>): on
    /// CUDA the TF32 and reduced-precision switches as set, on the CPU full float32.
    /// </summary>
    public string Precision { get; init; } = Runtime.MathPrecision.Cpu.Describe(cuda: false);

    /// <summary>Whether TF32 or another reduced-precision CUDA mode was on (Runtime:AllowTf32).</summary>
    public bool ReducedPrecision { get; init; }

    /// <summary>Runs trained side by side; per-experiment minutes are then wall time on a share of the cores.</summary>
    public int ParallelRuns { get; init; } = 1;

    /// <summary>
    /// The suite's seconds projected before it ran from the recorded costs (baselines/&lt;profile&gt;/costs.json, see
    /// Claims.Scheduling.SuiteProjection), beside the measured <see cref="Seconds"/>; null when no cost was recorded.
    /// </summary>
    public double? ProjectedSeconds { get; init; }
}
