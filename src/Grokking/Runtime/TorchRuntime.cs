using TorchSharp;

namespace Grokking.Runtime;

/// <summary>
/// The single entry point to TorchSharp: applies the libstdc++ compatibility step, initialises the
/// backend, and picks the device once. Everything that touches tensors calls <see cref="Initialize"/> first.
/// </summary>
public static class TorchRuntime
{
    private static readonly Lock Gate = new();
    private static RuntimeInfo? current;

    public static RuntimeInfo Current => current ?? throw new InvalidOperationException("TorchRuntime.Initialize has not been called.");

    public static torch.Device Device => Current.Device;

    /// <param name="device">auto: CUDA when available, else CPU.</param>
    /// <param name="threads">Intra-op threads; 0 keeps libtorch's default (one per core).</param>
    public static RuntimeInfo Initialize(DeviceChoice device = DeviceChoice.Auto, int threads = 0)
    {
        lock (Gate)
        {
            if (current is not null)
            {
                if (device != DeviceChoice.Auto && !string.Equals(current.DeviceName, device.ToString(), StringComparison.OrdinalIgnoreCase))
                {
                    throw new InvalidOperationException($"The device was already chosen as {current.DeviceName}; it is chosen once per process.");
                }

                return current;
            }

            var compat = NativeLibraryCompat.Apply();
            bool mallocTuned = NativeMemoryTuning.Apply();
            torch.InitializeDeviceType(DeviceType.CPU);
            bool cudaAvailable = torch.cuda.is_available();
            var chosen = device switch
            {
                DeviceChoice.Cpu => torch.CPU,
                DeviceChoice.Cuda when cudaAvailable => torch.CUDA,
                DeviceChoice.Cuda => throw new InvalidOperationException("Runtime:Device is 'cuda' but CUDA is not available (build with -p:TorchBackend=cuda on a GPU host)."),
                _ => cudaAvailable ? torch.CUDA : torch.CPU,
            };
            if (threads > 0)
            {
                torch.set_num_threads(threads);
            }

            var version = typeof(torch).Assembly.GetName().Version;
            current = new RuntimeInfo(
                version is null ? "unknown" : $"{version.Major}.{version.Minor}.{version.Build}",
                torch.__version__,
                chosen,
                torch.get_num_threads(),
                cudaAvailable,
                compat,
                mallocTuned);
            return current;
        }
    }
}
