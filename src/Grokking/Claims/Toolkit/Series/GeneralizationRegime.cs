using Grokking.Claims.Analyses;

namespace Grokking.Claims.Toolkit;

/// <summary>
/// OG-2's three outcomes of a run (Omnigrok Fig. 2b), from the times to a train and a test accuracy level:
/// no generalization (train reaches it, test never does), grokking (test at least a stated factor later than train),
/// fast generalization (test within that factor of train). A run that never fits its training set is none of these.
/// </summary>
public enum GeneralizationRegime
{
    NoFit,
    NoGeneralization,
    Grokking,
    Fast,
}

public static class GeneralizationRegimes
{
    public static GeneralizationRegime Classify(AccuracyTimes times, double grokkingDelay) =>
        !double.IsFinite(times.TrainStep) ? GeneralizationRegime.NoFit
        : !double.IsFinite(times.TestStep) ? GeneralizationRegime.NoGeneralization
        : times.Delay >= grokkingDelay ? GeneralizationRegime.Grokking
        : GeneralizationRegime.Fast;

    public static string Describe(this GeneralizationRegime regime) => regime switch
    {
        GeneralizationRegime.NoFit => "never fits the training set",
        GeneralizationRegime.NoGeneralization => "no generalization",
        GeneralizationRegime.Grokking => "grokking",
        _ => "fast generalization",
    };
}
