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
    /// <param name="threads">Intra-op threads; 0 keeps libtorch's default (one per core), divided among parallel runs.</param>
    /// <param name="parallelRuns">Runs this process trains side by side; 0 = two on a CPU with two or more cores, one on CUDA.</param>
    public static RuntimeInfo Initialize(DeviceChoice device = DeviceChoice.Auto, int threads = 0, int parallelRuns = 1)
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
                DeviceChoice.Cuda => throw new InvalidOperationException(
                    "Runtime:Device is 'cuda' but CUDA is not available (build with -p:TorchBackend=cuda on a GPU host)."),
                _ => cudaAvailable ? torch.CUDA : torch.CPU,
            };
            int runs = ParallelRunsFor(parallelRuns, chosen.type == DeviceType.CUDA, Environment.ProcessorCount);
            if (threads == 0 && runs > 1)
            {
                // torch.set_num_threads is per process: the runs share the cores instead of oversubscribing them.
                threads = Math.Max(1, Environment.ProcessorCount / runs);
            }

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
                mallocTuned)
            {
                ParallelRuns = runs,
            };
            return current;
        }
    }

    /// <summary>
    /// Runtime:ParallelRuns resolved: as given when positive; else one on CUDA (one device queue), two on a CPU with two
    /// or more cores.
    /// </summary>
    public static int ParallelRunsFor(int requested, bool cuda, int cores) => requested switch
    {
        > 0 => requested,
        _ when cuda => 1,
        _ => cores >= 2 ? 2 : 1,
    };
}
