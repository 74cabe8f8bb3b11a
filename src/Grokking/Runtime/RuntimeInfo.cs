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
    public string DeviceName => Device.type == DeviceType.CUDA ? "cuda" : "cpu";
}
