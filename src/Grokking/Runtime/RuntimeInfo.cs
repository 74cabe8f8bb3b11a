using TorchSharp;

namespace Grokking.Runtime;

/// <summary>What the process runs on, decided once.</summary>
public sealed record RuntimeInfo(
    string TorchSharpVersion,
    string LibTorchVersion,
    torch.Device Device,
    int Threads,
    bool CudaAvailable,
    CompatibilityReport Compatibility,
    bool MallocTuned)
{
    /// <summary>How many runs the claim suite trains side by side (their intra-op threads share the cores).</summary>
    public int ParallelRuns { get; init; } = 1;

    /// <summary>The TorchSharp package the build links: "cpu" or "cuda" (<see cref="TorchRuntime.Backend"/>).</summary>
    public string Backend { get; init; } = "cpu";

    /// <summary>The reduced-precision switches as set on CUDA (<see cref="TorchRuntime.SetCudaPrecision"/>); the CPU's otherwise.</summary>
    public MathPrecision MathPrecision { get; init; } = MathPrecision.Cpu;

    public string DeviceName => Device.type == DeviceType.CUDA ? "cuda" : "cpu";

    /// <summary>The precision in words, for the report and <c>grokking info</c>.</summary>
    public string PrecisionText => MathPrecision.Describe(Device.type == DeviceType.CUDA);
}
