using System.ComponentModel.DataAnnotations;
using Grokking.Runtime;

namespace Grokking.Configuration;

public sealed class RuntimeOptions
{
    public DeviceChoice Device { get; set; } = DeviceChoice.Auto;

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
}
