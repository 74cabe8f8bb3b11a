using System.Globalization;
using System.Text.Json.Serialization;
using Grokking.Runtime;
using Grokking.Training;

namespace Grokking.Claims.Baselines;

/// <summary>
/// Which engine made a snapshot's outcome, on which day (UTC, yyyy-MM-dd), and on which device kind: the device ("cpu",
/// "cuda") and whether CUDA's reduced-precision math (TF32) was on. Device and precision are null in files written
/// before they were recorded; every such baseline was made on a CPU (the CUDA build has never been restored where they
/// were made), which <see cref="DeviceKind"/> says.
/// </summary>
public sealed record BaselineProvenance(string Engine, string Date)
{
    /// <summary>"cpu" or "cuda"; null when the file predates the record.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Device { get; init; }

    /// <summary>Whether TF32 or other reduced-precision CUDA math was on (Runtime:AllowTf32); null when not recorded.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public bool? ReducedPrecision { get; init; }

    /// <summary>"cpu", "cuda" or "cuda with TF32": what a baseline made here may be replaced by without --across-devices.</summary>
    [JsonIgnore]
    public string DeviceKind => (Device ?? "cpu") + (ReducedPrecision == true ? " with TF32" : "");

    /// <summary>"engine, day", and the device kind where it is recorded ("engine, day, cuda").</summary>
    public string Describe() => Device is null ? $"{Engine}, {Date}" : $"{Engine}, {Date}, {DeviceKind}";

    /// <summary>This engine, today, and the device the process runs on (null fields before the runtime is initialized).</summary>
    public static BaselineProvenance Now()
    {
        var runtime = TorchRuntime.Initialized;
        return new(EngineVersion.Value, DateTime.UtcNow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture))
        {
            Device = runtime?.DeviceName,
            ReducedPrecision = runtime?.MathPrecision.Reduced,
        };
    }
}
