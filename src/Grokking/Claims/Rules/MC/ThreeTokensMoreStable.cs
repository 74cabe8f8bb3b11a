using Grokking.Claims.Analyses;
using Grokking.Claims.Contracts;
using Grokking.Claims.Toolkit;
using Grokking.Plots;

namespace Grokking.Claims.Rules.MC;

/// <summary>
/// MC-10 (MC section 2.2): the three tokens a, b, c train more stably than the original article's five a, op, b, =, c.
/// Stable is read as staying fitted once fitted: per member, the share of the post-fit budget spent out of fit
/// (<see cref="LostFit"/>: train accuracy below <c>collapseTrainAccuracy</c>, or diverged - a divergence is the
/// measured instability, so a diverged member keeps its value and is never left out). Per seed (the same seed in both
/// arms: the same split and minibatch order), the five-token share minus the three-token share is compared with
/// <c>minLostShareDifference</c> (at least) by the claim's scope. Both arms are read over their common budget. A seed
/// whose member in either arm neither fit nor diverged within the budget has no difference (undecided). Control: the
/// arms swapped, which must refute.
/// </summary>
public sealed class ThreeTokensMoreStable : ClaimAnalysis<ThreeTokensMoreStable.Parameters>
{
    public const string FiveTokenExperiment = "mc-five-token";

    public override string Name => "three-tokens-more-stable";

    public override SeedRule SeedRule => SeedRule.EverySeed;

    public override string? ControlName => "arms-swapped";

    /// <summary>MC-10's rule: the train accuracy below which a fitted member has lost its fit, and the smallest difference that counts.</summary>
    public sealed record Parameters(
        [Within(0, 1)] double CollapseTrainAccuracy,
        [Within(0, 1)] double MinLostShareDifference);

    public override AnalysisResult Analyze(ClaimContext context, Parameters parameters)
    {
        var five = context.Companion(FiveTokenExperiment);
        var decided = Decide(context.Claim.ScopeKind, Arm(context, five, parameters), Arm(five, context, parameters), parameters);
        return decided with { Figures = [Figure(context, five)] };
    }

    /// <summary>The rule with the five-token run read as the three-token arm and the three-token run as the five-token arm.</summary>
    public override AnalysisResult AnalyzeControl(ClaimContext context, Parameters parameters)
    {
        var five = context.Companion(FiveTokenExperiment);
        return Decide(context.Claim.ScopeKind, Arm(five, context, parameters), Arm(context, five, parameters), parameters);
    }

    /// <summary>Each member's <see cref="LostFit"/> by seed, over the budget both arms ran (the shorter one's).</summary>
    public static IReadOnlyDictionary<long, LostFit> Arm(ClaimContext arm, ClaimContext other, Parameters parameters)
    {
        double end = Math.Min(Budget(arm), Budget(other));
        var result = arm.Result;
        return arm.Members.ToDictionary(m => m.Seed, m =>
        {
            var e = result.Events[m.Index];
            double? diverged = e.Diverged ? result.EpochOf(e.DivergedStep) : null;
            return LostFit.Of(MemberSeries.RowsBeforeDivergence(result, m.Index), diverged, end, parameters.CollapseTrainAccuracy);
        });
    }

    private static double Budget(ClaimContext arm) => arm.Result.EpochOf(arm.Result.StepsCompleted);

    /// <summary>
    /// The rule on the two arms' members by seed: the paired difference five minus three judged by the scope, bounded by
    /// whether each seed has both shares (a divergence gives one; never fitting without diverging does not).
    /// </summary>
    public static AnalysisResult Decide(
        ClaimScope scope, IReadOnlyDictionary<long, LostFit> three, IReadOnlyDictionary<long, LostFit> five, Parameters parameters)
    {
        var seeds = three.Keys.Intersect(five.Keys).Order().ToList();
        var differences = seeds.Select(s => five[s].Share - three[s].Share).ToList();
        var comparison = Thresholds.Judge(scope,
            new Quantity("lostShareDifference", "five-token minus three-token share of the post-fit budget out of fit"),
            differences, Relation.AtLeast, parameters.MinLostShareDifference);
        var events = seeds.Select(s => Finding(s, three[s], five[s])).ToList();
        var (verdict, reason) = AuditedVerdict.Of(events, [comparison]);
        return new AnalysisResult(verdict, reason, Measure(seeds, three, five, differences, parameters), []) { Comparisons = [comparison] };
    }

    /// <summary>Whether a seed has both shares; its numbers either way. A divergence is a value here, not a lost seed.</summary>
    private static SeedFinding Finding(long seed, LostFit three, LostFit five)
    {
        string text = $"three tokens {Describe(three)}; five tokens {Describe(five)}";
        return double.IsFinite(three.Share) && double.IsFinite(five.Share)
            ? AuditedVerdict.Came(seed, text)
            : new SeedFinding(seed, Verdict.Inconclusive, $"an arm neither reached 100% train accuracy nor diverged within the budget: {text}");
    }

    private static string Describe(LostFit f)
    {
        string fit = double.IsFinite(f.Point1) ? $"fit at epoch {f.Point1:0}" : "never fit";
        string diverged = f.DivergedEpoch is { } d ? $", diverged at epoch {d:0}" : "";
        return $"{fit}, {f.Collapses} collapse(s){diverged}, out of fit {f.Share:P1} of the post-fit budget";
    }

    private static List<MeasuredValue> Measure(
        List<long> seeds, IReadOnlyDictionary<long, LostFit> three, IReadOnlyDictionary<long, LostFit> five, List<double> differences,
        Parameters p)
    {
        MeasuredValue PerSeed(string name, string key, string unit, Func<long, double> value, Func<IEnumerable<double>, double> summary)
        {
            var values = seeds.Select(value).ToList();
            return new(name, summary(values), unit, null, null, values, Key: key);
        }

        static double Sum(IEnumerable<double> values) => values.Where(double.IsFinite).Sum();
        return
        [
            new("five-token minus three-token share out of fit, median over seeds", MemberSeries.Median(differences), "", null,
                $">= {p.MinLostShareDifference} (by the scope)", differences, Key: "lostShareDifference"),
            PerSeed("three tokens: share of the post-fit budget out of fit, median", "lostShareThree", "", s => three[s].Share, MemberSeries.Median),
            PerSeed("five tokens: share of the post-fit budget out of fit, median", "lostShareFive", "", s => five[s].Share, MemberSeries.Median),
            PerSeed("three tokens: members diverged", "divergedThree", "", s => three[s].DivergedEpoch is null ? 0 : 1, Sum),
            PerSeed("five tokens: members diverged", "divergedFive", "", s => five[s].DivergedEpoch is null ? 0 : 1, Sum),
            PerSeed($"three tokens: train-accuracy collapses below {p.CollapseTrainAccuracy:P0} after the fit", "collapsesThree", "",
                s => three[s].Collapses, Sum),
            PerSeed($"five tokens: train-accuracy collapses below {p.CollapseTrainAccuracy:P0} after the fit", "collapsesFive", "",
                s => five[s].Collapses, Sum),
            PerSeed("three tokens: point 1 (first epoch with 100% train accuracy), median", "point1Three", "epoch", s => three[s].Point1,
                MemberSeries.Median),
            PerSeed("five tokens: point 1 (first epoch with 100% train accuracy), median", "point1Five", "epoch", s => five[s].Point1,
                MemberSeries.Median),
        ];
    }

    /// <summary>Train accuracy and log10 train loss against epoch, three tokens beside five.</summary>
    private static ClaimFigure Figure(ClaimContext three, ClaimContext five)
    {
        var arms = new[] { (Title: "three tokens a, b -> c", Arm: three), (Title: "five tokens a, op, b, = -> c", Arm: five) };
        var panels = new List<ChartPanel>();
        foreach (var (title, arm) in arms)
        {
            var accuracy = new List<(string, double[], double[])>();
            var loss = new List<(string, double[], double[])>();
            foreach (var m in arm.Members)
            {
                var rows = MemberSeries.Rows(arm.Result, m.Index).Where(r => double.IsFinite(r.TrainLoss) && r.TrainLoss > 0).ToList();
                var x = rows.Select(r => r.Epoch).ToArray();
                accuracy.Add(($"seed {m.Seed}", x, rows.Select(r => r.TrainAccuracy).ToArray()));
                loss.Add(($"seed {m.Seed}", x, rows.Select(r => Math.Log10(r.TrainLoss)).ToArray()));
            }

            panels.Add(new ChartPanel($"{title}: train accuracy", "epoch", "train accuracy", accuracy));
            panels.Add(new ChartPanel($"{title}: train loss", "epoch", "log10 train loss", loss));
        }

        string id = three.Claim.Id;
        return three.Plot("stability", $"{id}: train accuracy and loss, three vs five tokens",
            (dir, file) => PanelChart.Write(dir, file, $"{id}: training with three and with five tokens (MC 2.2)", panels));
    }
}
