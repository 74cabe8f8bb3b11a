using System.ComponentModel.DataAnnotations;
using Grokking.Runtime;

namespace Grokking.Configuration;

public sealed class RuntimeOptions : ICrossValidated
{
    /// <summary>auto: CUDA when available, else the CPU. cuda where libtorch finds no CUDA device is a configuration error.</summary>
    public DeviceChoice Device { get; set; } = DeviceChoice.Auto;

    /// <summary>
    /// On CUDA, whether float32 matmuls and convolutions may use TF32 (10-bit mantissas), several times faster on
    /// Ampere and later. Off by default and for claims: grokking turns on small differences late in training. The
    /// report and the paper baselines record the setting; a run made with it has its own cache entry.
    /// </summary>
    public bool AllowTf32 { get; set; }

    /// <summary>libtorch intra-op threads; 0 = one per core.</summary>
    [Range(0, 1024)]
    public int Threads { get; set; }

    /// <summary>
    /// Runs the claim suite trains at once; 0 = two on a CPU with two or more cores, one on CUDA. Small population
    /// models use a second core poorly (1.3x for the 1-layer transformer), so two single-threaded runs side by side
    /// finish the suite sooner than one run on two threads.
    /// </summary>
    [Range(0, 64)]
    public int ParallelRuns { get; set; }

    /// <summary>
    /// Members of a population stepped together (the rest follow chunk by chunk in lockstep); 0 = the fastest of 1, 2, 4,
    /// ..., K measured on the run's own model and data at its start. Results are the same bits for every value.
    /// </summary>
    [Range(0, 1 << 20)]
    public int MembersPerChunk { get; set; }

    /// <summary>Asking for CUDA where there is none is refused here, before anything runs, naming where it was asked.</summary>
    public IEnumerable<(string Key, string Message)> Validate()
    {
        if (Device == DeviceChoice.Cuda && !TorchRuntime.CudaAvailable())
        {
            yield return ("Device", $"'cuda', but CUDA is not available: {TorchRuntime.CudaMissingReason()}; allowed here: auto, cpu");
        }
    }
}
