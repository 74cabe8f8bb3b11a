using System.ComponentModel.DataAnnotations;
using Grokking.Runtime;

namespace Grokking.Configuration;

public sealed class RuntimeOptions
{
    public DeviceChoice Device { get; set; } = DeviceChoice.Auto;

    /// <summary>libtorch intra-op threads; 0 = one per core.</summary>
    [Range(0, 1024)]
    public int Threads { get; set; }
}
