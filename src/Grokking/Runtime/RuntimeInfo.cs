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

    public string DeviceName => Device.type == DeviceType.CUDA ? "cuda" : "cpu";
}
