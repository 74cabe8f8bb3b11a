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
    /// <summary>Runs trained side by side; per-experiment minutes are then wall time on a share of the cores.</summary>
    public int ParallelRuns { get; init; } = 1;

    /// <summary>
    /// The suite's seconds projected before it ran from the recorded costs (baselines/&lt;profile&gt;/costs.json, see
    /// Claims.Scheduling.SuiteProjection), beside the measured <see cref="Seconds"/>; null when no cost was recorded.
    /// </summary>
    public double? ProjectedSeconds { get; init; }

    /// <summary>This machine as the environment block names it: host name, cores and operating system.</summary>
    public static string ThisMachine() =>
        $"{System.Environment.MachineName}, {System.Environment.ProcessorCount} cores, "
        + System.Runtime.InteropServices.RuntimeInformation.OSDescription;
}
