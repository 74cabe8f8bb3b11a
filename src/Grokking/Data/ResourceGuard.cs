using System.Globalization;
using Grokking.Configuration;

namespace Grokking.Data;

/// <summary>
/// Refuses, before anything is allocated, a setting whose <see cref="ResourceEstimate"/> exceeds the memory the process
/// has: an <see cref="OptionsException"/> (exit 2) with the estimate, the memory available and the keys that shrink
/// the largest part. Without it Data:Modulus = 100000 (inside its range) grew past 4 GB in seconds and then failed.
/// </summary>
public static class ResourceGuard
{
    /// <param name="what">What is about to run, for the message ("train", "experiment 'mc-mult' at ci").</param>
    /// <param name="members">The population size when it is not the configuration's (bench's --members).</param>
    public static ResourceEstimate Check(GrokkingOptions options, AvailableMemory available, string what, long? members = null)
    {
        var estimate = ResourceEstimate.Of(options, members);
        if (estimate.TotalBytes <= available.Bytes)
        {
            return estimate;
        }

        var parts = new (string Name, long Bytes, string Keys)[]
        {
            ("data set", estimate.DataBytes, DataKeys(options.Data)),
            ("parameters and optimizer state", estimate.ModelBytes, ModelKeys(options.Model) + ", Population:Seeds (members)"),
            ("training batch activations", estimate.ActivationBytes, "Train:BatchSize, " + ModelKeys(options.Model)),
            ("evaluation", estimate.EvaluationBytes, "Landscape:MaxMembers, " + ModelKeys(options.Model)),
        };
        var largest = parts.MaxBy(p => p.Bytes);
        string breakdown = string.Join(", ", parts.Select(p => $"{p.Name} {Format(p.Bytes)}"));
        throw new OptionsException(
            largest.Keys.Split(',')[0],
            $"{what} needs about {Format(estimate.TotalBytes)} of memory ({estimate.Members} member(s), "
            + $"{estimate.Pairs.ToString("N0", CultureInfo.InvariantCulture)} examples; "
            + $"{breakdown}) but {Format(available.Bytes)} is available ({available.Source}); lower {largest.Keys}");
    }

    private static string DataKeys(DataOptions data) => data.Kind == DatasetKind.Modular
        ? "Data:Modulus, Population:Seeds (members)"
        : "Data:TrainSamples, Data:TestSamples, Population:Seeds (members)";

    private static string ModelKeys(ModelOptions model) => model.Kind switch
    {
        ModelKind.Transformer => "Model:DModel, Model:DMlp, Model:Layers",
        ModelKind.Lstm => "Model:DModel, Model:Embedding, Model:Layers",
        ModelKind.Gcnn => "Model:Hidden, Model:DMlp",
        ModelKind.ToyAddition => "Model:Hidden, Model:Embedding",
        _ => "Model:Hidden",
    };

    /// <summary>Bytes in binary units, three significant digits ("412 GiB").</summary>
    public static string Format(long bytes)
    {
        string[] units = ["bytes", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"];
        double value = bytes;
        int unit = 0;
        while (value >= 1024 && unit < units.Length - 1)
        {
            value /= 1024;
            unit++;
        }

        string digits = value >= 100 ? "0" : value >= 10 ? "0.0" : "0.00";
        return unit == 0 ? $"{bytes} bytes" : $"{value.ToString(digits, CultureInfo.InvariantCulture)} {units[unit]}";
    }
}
