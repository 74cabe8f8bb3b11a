using System.Reflection;
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
    private static (CompatibilityReport Compat, bool MallocTuned)? loaded;

    public static RuntimeInfo Current => current ?? throw new InvalidOperationException("TorchRuntime.Initialize has not been called.");

    public static torch.Device Device => Current.Device;

    /// <summary>What the process runs on, or null before <see cref="Initialize"/>.</summary>
    public static RuntimeInfo? Initialized => current;

    /// <summary>
    /// Whether the process computes with reduced-precision CUDA math (Runtime:AllowTf32 on CUDA); false before
    /// <see cref="Initialize"/> and on the CPU. A run made so is another run than one in full float32 (its cache key says so).
    /// </summary>
    public static bool ReducedPrecision => current?.MathPrecision.Reduced ?? false;

    /// <summary>
    /// The TorchSharp package this build links ("cpu": TorchSharp-cpu, "cuda": TorchSharp-cuda-linux), recorded by the
    /// build from -p:TorchBackend.
    /// </summary>
    public static string Backend { get; } = typeof(TorchRuntime).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .FirstOrDefault(a => a.Key == "TorchBackend")?.Value ?? "cpu";

    /// <summary>Whether libtorch sees a CUDA device; loads TorchSharp's native libraries first when nothing has yet.</summary>
    public static bool CudaAvailable()
    {
        lock (Gate)
        {
            Load();
            return torch.cuda.is_available();
        }
    }

    /// <summary>Why Runtime:Device = cuda cannot be honoured here (one clause, naming the build and what to do).</summary>
    public static string CudaMissingReason() => Backend == "cuda"
        ? "this build uses TorchSharp-cuda-linux, but libtorch finds no CUDA device (no NVIDIA GPU, or no driver); run it on a GPU host"
        : "this build uses TorchSharp-cpu; build with -p:TorchBackend=cuda (or TORCH_BACKEND=cuda ./grokking) on a GPU host";

    /// <param name="device">auto: CUDA when available, else CPU.</param>
    /// <param name="threads">Intra-op threads; 0 keeps libtorch's default (one per core), divided among parallel runs.</param>
    /// <param name="parallelRuns">Runs this process trains side by side; 0 = two on a CPU with two or more cores, one on CUDA.</param>
    /// <param name="allowTf32">On CUDA, whether float32 matmuls and convolutions may use TF32 (Runtime:AllowTf32; off for claims).</param>
    public static RuntimeInfo Initialize(DeviceChoice device = DeviceChoice.Auto, int threads = 0, int parallelRuns = 1, bool allowTf32 = false)
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

            var (compat, mallocTuned) = Load();
            bool cudaAvailable = torch.cuda.is_available();
            var chosen = device switch
            {
                DeviceChoice.Cpu => torch.CPU,
                DeviceChoice.Cuda when cudaAvailable => torch.CUDA,
                // The configuration refuses this first (Runtime:Device, exit 2); a library caller gets it here.
                DeviceChoice.Cuda => throw new InvalidOperationException(
                    $"Runtime:Device is 'cuda' but CUDA is not available: {CudaMissingReason()}."),
                _ => cudaAvailable ? torch.CUDA : torch.CPU,
            };
            bool cuda = chosen.type == DeviceType.CUDA;
            int runs = ParallelRunsFor(parallelRuns, cuda, Environment.ProcessorCount);
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
                Backend = Backend,
                MathPrecision = cuda ? SetCudaPrecision(allowTf32) : MathPrecision.Cpu,
            };
            return current;
        }
    }

    /// <summary>
    /// Sets libtorch's reduced-precision switches for CUDA explicitly rather than trusting its defaults (cuDNN's TF32 is
    /// on by default, fp16 reductions in reduced precision too): grokking turns on small differences late in training,
    /// so claims run in full float32 unless <paramref name="allowTf32"/>. Returns the switches as libtorch reports them
    /// back, which is what the report and the baselines record.
    /// </summary>
    public static MathPrecision SetCudaPrecision(bool allowTf32)
    {
        torch.backends.cuda.matmul.allow_tf32 = allowTf32;
        torch.backends.cudnn.allow_tf32 = allowTf32;
        torch.backends.cuda.matmul.allow_fp16_reduced_precision_reduction = false;
        return new MathPrecision(
            torch.backends.cuda.matmul.allow_tf32,
            torch.backends.cudnn.allow_tf32,
            torch.backends.cuda.matmul.allow_fp16_reduced_precision_reduction);
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

    /// <summary>The compatibility step and TorchSharp's native libraries, once per process (under <see cref="Gate"/>).</summary>
    private static (CompatibilityReport Compat, bool MallocTuned) Load()
    {
        if (loaded is { } done)
        {
            return done;
        }

        var compat = NativeLibraryCompat.Apply();
        bool mallocTuned = NativeMemoryTuning.Apply();
        torch.InitializeDeviceType(DeviceType.CPU);
        loaded = (compat, mallocTuned);
        return (compat, mallocTuned);
    }
}
