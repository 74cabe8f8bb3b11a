using System.Globalization;
using Grokking.Claims.Analyses;
using Grokking.Claims.Contracts;
using Grokking.Claims.Toolkit;
using Grokking.Plots;

namespace Grokking.Claims.Rules.OG;

/// <summary>
/// OG-7 (Omnigrok Fig. 3e, 6e): more training data makes generalization faster, and below a critical data size the
/// model does not generalize within the budget. Reads a train-fraction sweep (Population:TrainFractions). Per seed,
/// over the fractions in increasing order, with t(r) the steps to <c>accuracyLevel</c> test accuracy (never = ∞):
/// <list type="bullet">
/// <item>the fractions that generalize form an upper range (none generalizes below one that does not);</item>
/// <item>over that range t(r) never rises by more than <c>timeSlack</c> (relative) from one fraction to the next;</item>
/// <item>at least one fraction fails and at least two succeed, so both a critical size and a trend are seen;</item>
/// <item>when the claim states <c>criticalFactor</c>, the critical fraction r_c (the smallest that generalizes, in the
/// median over seeds) lies within that factor of the paper's value; without it r_c is reported as a distance only
/// (r_c depends on the number of pairs, i.e. on the prime a ci layer may change).</item>
/// </list>
/// </summary>
public sealed class DataSizeDependence : LegacyClaimAnalysis
{
    public override string Name => "data-size-dependence";

    public override IReadOnlyList<string> RequiredTolerances => ["accuracyLevel", "timeSlack"];

    public override IReadOnlyList<string> RequiredPaperValues => ["critical fraction"];

    public override AnalysisResult Analyze(ClaimContext context)
    {
        var claim = context.Claim;
        double level = claim.ToleranceOf("accuracyLevel");
        double slack = claim.ToleranceOf("timeSlack");
        double? factor = claim.OptionalToleranceOf("criticalFactor");
        double paperCritical = claim.PaperValueOf("critical fraction");

        var members = context.Members;
        if (members.Any(m => double.IsNaN(m.TrainFraction)))
        {
            throw new InvalidOperationException($"{claim.Id}: the analysis reads a train-fraction sweep; the experiment has no Population:TrainFractions");
        }

        var bySeed = members.GroupBy(m => m.Seed).OrderBy(g => g.Key)
            .Select(g => (Seed: g.Key, Points: g.OrderBy(m => m.TrainFraction).Select(m => (Fraction: m.TrainFraction, Times: AccuracyTimes.Of(context.Result, m.Index, level))).ToList()))
            .ToList();

        var findings = new List<SeedFinding>();
        var criticals = new List<double>();
        foreach (var (seed, points) in bySeed)
        {
            var fractions = points.Select(p => p.Fraction).ToArray();
            var times = points.Select(p => p.Times.TestStep).ToArray();
            var judged = DataSizeCurve.Judge(fractions, times, slack);
            criticals.Add(judged.CriticalFraction);
            bool diverged = points.Any(p => p.Times.Diverged);
            findings.Add(new SeedFinding(seed, judged.Holds ? Verdict.Confirmed : diverged ? Verdict.Inconclusive : Verdict.Refuted, judged.Describe(fractions, times), diverged && !judged.Holds));
        }

        var (verdict, reason) = SeedVerdicts.Combine(findings);
        double critical = MemberSeries.Median(criticals);
        bool near = factor is not { } f || (critical >= paperCritical / f && critical <= paperCritical * f);
        if (verdict == Verdict.Confirmed && !near)
        {
            (verdict, reason) = (Verdict.Refuted, $"the critical fraction {critical:G3} is not within a factor {factor} of the paper's {paperCritical} — {reason}");
        }

        var measured = new List<MeasuredValue>
        {
            new("critical train fraction (smallest that generalizes; median over seeds)", critical, "", paperCritical, factor is { } within ? $"within x{within}" : "distance only", criticals, Key: "criticalFraction"),
        };
        foreach (double fraction in bySeed.SelectMany(s => s.Points.Select(p => p.Fraction)).Distinct().Order())
        {
            var perSeed = bySeed.Select(s => s.Points.First(p => Math.Abs(p.Fraction - fraction) < 1e-12).Times.TestStep).ToList();
            string tag = fraction.ToString("G3", CultureInfo.InvariantCulture);
            measured.Add(new($"steps to {level:P0} test accuracy at fraction {tag} (median, never counted as latest; NaN = never)", MemberSeries.MedianTime(perSeed), "step", null, null, perSeed, Key: $"tTest-r{tag}"));
        }

        var series = bySeed.Select(s =>
        {
            var done = s.Points.Where(p => double.IsFinite(p.Times.TestStep)).ToList();
            return ($"seed {s.Seed}", done.Select(p => p.Fraction).ToArray(), done.Select(p => Math.Log10(p.Times.TestStep)).ToArray());
        }).ToList();
        var (dir, file) = context.Figure("time-vs-fraction");
        string title = $"{claim.Id}: steps to {level:P0} test accuracy against the train fraction (missing = never)";
        var figure = context.FigureOf(title, LineChart.Write(dir, file, title, "train fraction", "log10 steps", series, [(paperCritical, "paper r_c")]));
        return new AnalysisResult(verdict, reason, measured, [figure]);
    }
}
