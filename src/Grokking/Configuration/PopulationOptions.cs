namespace Grokking.Configuration;

/// <summary>
/// The members of a population: the cartesian product Seeds x WeightDecays x InitScales x LearningRates.
/// An empty list means "the single value from Optimizer / Model".
/// </summary>
public sealed class PopulationOptions : ICrossValidated
{
    public int[] Seeds { get; set; } = [0];

    public double[] WeightDecays { get; set; } = [];

    public double[] InitScales { get; set; } = [];

    public double[] LearningRates { get; set; } = [];

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

        if (LearningRates.Any(a => a < 0 || !double.IsFinite(a)))
        {
            yield return ("LearningRates", "learning rates must be finite and >= 0");
        }
    }
}
