using Grokking.Claims.Analyses;
using Grokking.Claims.Contracts;
using Grokking.Claims.Toolkit;

namespace Grokking.Claims.Rules.PG;

/// <summary>
/// What one seed of PG-8's non-adaptive arm shows: when it fit (t_2), when it generalized (t_4), its train-loss spike
/// onsets after the fit (Thilak et al.'s slingshots come after the model fits its training data), and its highest
/// validation accuracy once a delay has passed. Values the comparisons read are NaN where the seed cannot speak (it never
/// fit; it generalized with no delay, so it did not grok; its run ended before the delay).
/// </summary>
/// <param name="Onsets">Train-loss spike onsets (sample indices) at or after the fit.</param>
/// <param name="Needed">Steps the run needed to show an absence: the reference t_4 / t_2 times this seed's t_2.</param>
internal sealed record AbsenceSeed(
    SlingshotTraces Traces,
    double FitStep,
    double GeneralizedStep,
    double MaxTrain,
    IReadOnlyList<int> Onsets,
    double SpikesAll,
    double NormSpikesAfterFit,
    double DelayedVal,
    double StepsRun,
    double Needed)
{
    public bool Fit => double.IsFinite(FitStep);

    /// <summary>Generalized before the delay passed: not grokking.</summary>
    public bool NoDelay { get; init; }

    public double SpikesAfterFit => Fit ? Onsets.Count : double.NaN;

    public static AbsenceSeed Measure(SlingshotTraces t, SlingshotAbsence.Parameters p, double referenceRatio)
    {
        double fit = SlingshotOnset.GrokkingStep(t.Rows, r => r.TrainAccuracy, p.FitLevel);
        double generalized = SlingshotOnset.GrokkingStep(t.Rows, r => r.ValAccuracy, p.ValLevel);
        double delayFrom = fit * p.MinDelayRatio;
        bool noDelay = double.IsFinite(generalized) && generalized < delayFrom;
        var delayedRows = t.Rows.Where(r => r.Step >= delayFrom).ToList();
        double delayed = !double.IsFinite(fit) || noDelay || delayedRows.Count == 0 ? double.NaN : delayedRows.Max(r => r.ValAccuracy);
        var loss = t.LossOnsets(p.Spikes);
        var norm = SpikeDetector.Onsets(SpikeDetector.GrowthRate(t.OutputNorm), p.Spikes);
        bool AfterFit(int sample) => SlingshotTraces.StepOf(sample) >= fit;
        return new AbsenceSeed(
            t,
            fit,
            generalized,
            t.Rows.Length == 0 ? double.NaN : t.Rows.Max(r => r.TrainAccuracy),
            [.. loss.Where(AfterFit)],
            loss.Count,
            double.IsFinite(fit) ? norm.Count(AfterFit) : double.NaN,
            delayed,
            t.Loss.Length,
            referenceRatio * fit)
        {
            NoDelay = noDelay,
        };
    }

    /// <summary>The seed's preconditions: it fit, and (unless it generalized with no delay) it ran long enough.</summary>
    public SeedFinding Judge(SlingshotAbsence.Parameters p)
    {
        var t = Traces;
        long seed = t.Spec.Seed;
        string spikes = $"{Onsets.Count} train-loss spike(s) after the fit at {SlingshotTraces.Steps(Onsets)} ({SpikesAll:0} in the whole run), "
            + $"{NormSpikesAfterFit:0} norm-growth spike(s) after it";
        if (!Fit)
        {
            return new(seed, Verdict.Inconclusive,
                $"train accuracy never reached {p.FitLevel:P0} in {StepsRun:0} steps (highest {MaxTrain:P1}): a model that never fit its "
                + $"training set shows nothing about grokking{t.DivergedNote}", t.Diverged);
        }

        string fitted = $"fit (train accuracy >= {p.FitLevel:P0}) at step {FitStep:0}";
        if (NoDelay)
        {
            return new(seed, Verdict.Confirmed,
                $"{fitted}, validation accuracy >= {p.ValLevel:P0} at step {GeneralizedStep:0}, before {p.MinDelayRatio:0.##} x the fit: "
                + $"generalization without delay, not grokking; {spikes}{t.DivergedNote}", t.Diverged);
        }

        string val = double.IsFinite(GeneralizedStep) ? $"validation accuracy >= {p.ValLevel:P0} at step {GeneralizedStep:0}"
            : $"validation accuracy never >= {p.ValLevel:P0} (highest after the delay {DelayedVal:P1})";
        bool enough = StepsRun >= Needed;
        string budget = double.IsNaN(Needed) ? "the steps needed to show an absence are unknown (see the budget)"
            : $"{(enough ? "at least" : "fewer than")} the {Needed:0} needed to show an absence";
        return new(seed, enough ? Verdict.Confirmed : Verdict.Inconclusive,
            $"{fitted}; {val}; {spikes}; ran {StepsRun:0} steps, {budget}{t.DivergedNote}", t.Diverged);
    }
}
