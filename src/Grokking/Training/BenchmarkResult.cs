namespace Grokking.Training;

/// <summary>
/// One benchmark measurement: throughput of the engine and the FLOP rate it achieves. CpuSeconds: the process's CPU time
/// over the measurement (0: not measured); on a machine others share, CPU time moves less with their load than wall time.
/// </summary>
public sealed record BenchmarkResult(
    string Name, int Members, long Steps, double Seconds, double StepsPerSecond, double EpochsPerSecond, double GflopPerSecond,
    double CpuSeconds = 0)
{
    /// <summary>The process's CPU time so far, in seconds (every thread: the intra-op pool, the runtime's own).</summary>
    public static double ProcessCpuSeconds() => System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds;
}
