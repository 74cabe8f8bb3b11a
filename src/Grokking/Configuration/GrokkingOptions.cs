using System.ComponentModel.DataAnnotations;
using Grokking.Runtime;

namespace Grokking.Configuration;

public enum Profile
{
    Smoke,
    Ci,
    Paper,
}

/// <summary>The whole typed configuration: defaults, then the profile layer, a JSON file, GROKKING__* variables and --set.</summary>
public sealed class GrokkingOptions
{
    public Profile Profile { get; set; } = Profile.Ci;

    public RuntimeOptions Runtime { get; set; } = new();

    public DataOptions Data { get; set; } = new();

    public ModelOptions Model { get; set; } = new();

    public OptimizerOptions Optimizer { get; set; } = new();

    public TrainOptions Train { get; set; } = new();

    public PopulationOptions Population { get; set; } = new();

    public OutputOptions Output { get; set; } = new();
}

public sealed class RuntimeOptions
{
    public DeviceChoice Device { get; set; } = DeviceChoice.Auto;

    /// <summary>libtorch intra-op threads; 0 = one per core.</summary>
    [Range(0, 1024)]
    public int Threads { get; set; }
}

public sealed class OutputOptions
{
    public string RunsDirectory { get; set; } = "runs";

    public string CacheDirectory { get; set; } = ".cache/runs";

    public string ReportDirectory { get; set; } = "report";
}
