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

    /// <summary>The engine version that computed the runs (Training.EngineVersion); empty when the writer did not record it.</summary>
    public string Engine { get; init; } = "";

    /// <summary>
    /// Whether the working tree differed from <see cref="GitCommit"/> (tracked changes or untracked files); null when git could
    /// not tell (no git on PATH, not a repository). A run from a changed tree is not the commit's run.
    /// </summary>
    public bool? GitDirty { get; init; }

    /// <summary>SHA-256 of the uncommitted changes (<see cref="GitWorkingTree"/>) when <see cref="GitDirty"/>; null otherwise.</summary>
    public string? GitDiffHash { get; init; }

    /// <summary>The precisions the verified runs computed in ("float32", "float32+float64"); "none" when no run trained.</summary>
    public string Dtype { get; init; } = "";

    /// <summary>The settings the command took that can change what ran (the profile, Runtime:*, the data locations set).</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Configuration { get; init; } = [];

    /// <summary>This machine as the environment block names it: host name, cores and operating system.</summary>
    public static string ThisMachine() =>
        $"{System.Environment.MachineName}, {System.Environment.ProcessorCount} cores, "
        + System.Runtime.InteropServices.RuntimeInformation.OSDescription;
}
