using System.Text.Json.Serialization;

namespace Grokking.Configuration;

/// <summary>
/// The members of a population: the cartesian product Seeds x WeightDecays x InitScales x LearningRates (weight decays
/// and init scales as pairs instead when <see cref="Paired"/>), crossed with the optional sweeps (TrainFractions,
/// TrainSamples, Messiness) when they are set.
/// An empty list means "the single value from Optimizer / Model".
/// </summary>
public sealed class PopulationOptions : ICrossValidated
{
    public int[] Seeds { get; set; } = [0];

    public double[] WeightDecays { get; set; } = [];

    public double[] InitScales { get; set; } = [];

    public double[] LearningRates { get; set; } = [];

    /// <summary>
    /// True: WeightDecays[i] goes with InitScales[i] (pairs, not their product), for experiments whose arms differ in both
    /// (Omnigrok's IMDb runs: alpha 6 with weight decay 1 against alpha 1 without). Out of the serialized options when false.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool Paired { get; set; }

    /// <summary>
    /// Train fractions swept within one population (OG-7, PG-1): each member splits the data at its own fraction;
    /// unset = Data:TrainFraction for every member. Members with different training-set sizes need full-batch
    /// training (Train:BatchSize = 0). Unset stays out of the serialized options, so existing run keys did not change.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double[]? TrainFractions { get; set; }

    /// <summary>
    /// Training-set sizes swept within one population of sampled data (Data:Kind = images, OG-11; toyaddition, OG-15): each
    /// member trains on the first n of its seed's random draw of training examples, so one seed's sets are nested; unset = Data:TrainSamples
    /// for every member. Minibatches are drawn per member from its own set (a set smaller than Train:BatchSize is one
    /// whole batch). Unset stays out of the serialized options, so existing run keys did not change.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int[]? TrainSamples { get; set; }

    /// <summary>
    /// Representation messiness swept within one population (Omnigrok's Eq. 4 and 7, Fig. 6 and 8): one member per value
    /// m in [0, 1], crossed with the other axes, each member's inputs R = m R_raw + (1 - m) R_linear, built by its data
    /// kind (<c>PopulationDataFactory.InterpolatesRepresentations</c>). Unset stays out of the serialized options, so
    /// existing run keys did not change.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double[]? Messiness { get; set; }

    public IEnumerable<(string Key, string Message)> Validate()
    {
        if (Seeds.Length == 0)
        {
            yield return ("Seeds", "at least one seed is required");
        }

        if (WeightDecays.Any(w => w < 0 || !double.IsFinite(w)))
        {
            yield return ("WeightDecays", "weight decays must be finite and >= 0");
        }

        if (InitScales.Any(a => a <= 0 || !double.IsFinite(a)))
        {
            yield return ("InitScales", "init scales must be finite and > 0");
        }

        if (TrainFractions is { } fractions && (fractions.Length == 0 || fractions.Any(f => !(f > 0 && f < 1))))
        {
            yield return ("TrainFractions", "train fractions must lie in (0, 1); leave the key out for Data:TrainFraction");
        }

        if (TrainSamples is { } sizes && (sizes.Length == 0 || sizes.Any(n => n < 1)))
        {
            yield return ("TrainSamples", "training-set sizes must be at least 1; leave the key out for Data:TrainSamples");
        }

        if (Messiness is { } messiness && (messiness.Length == 0 || messiness.Any(m => !(m >= 0 && m <= 1))))
        {
            yield return ("Messiness", "messiness values must lie in [0, 1]; leave the key out for a population without the axis");
        }

        if (TrainSamples is not null && TrainFractions is not null)
        {
            yield return ("TrainSamples", "sweeps sizes of sampled data; Population:TrainFractions sweeps splits of modular data: set one");
        }

        if (Paired && WeightDecays.Length != InitScales.Length)
        {
            yield return ("Paired",
                $"pairs weight decays with init scales: both lists need the same length ({WeightDecays.Length} and {InitScales.Length})");
        }

        if (LearningRates.Any(a => a < 0 || !double.IsFinite(a)))
        {
            yield return ("LearningRates", "learning rates must be finite and >= 0");
        }
    }
}
