using System.Globalization;
using Grokking.Claims.Analyses;
using Grokking.Claims.Contracts;
using Grokking.Claims.Toolkit;
using Grokking.Plots;

namespace Grokking.Claims.Rules.PB;

/// <summary>
/// PB-3 (typical, issue 25): the drops of PB-2 coincide with spikes of the effective learning rate and of the effective
/// gradient norm, and the effective learning rate is saw-toothed. Over the LayerNorm seeds' grokking phases: at least
/// <c>minDrops</c> drops per seed (Student-t interval of the counts); of the recovered drops, pooled over the seeds
/// (Wilson intervals), at least <c>minMatchedShare</c> come with an effective-lr spike (its peak within
/// <c>windowEpochs</c> of the drop, then a fall of at least <c>lrFall</c> by <c>windowEpochs</c> after recovery) and the
/// same share with an effective-gradient spike (peak at least <c>gradSpike</c> x its median over the
/// <c>gradBaselineEpochs</c> before); saw-tooth: in at least <c>minMatchedShare</c> of the intervals between drops,
/// pooled, the effective lr rises monotonically up to noise (Spearman rho >= <c>minSawtoothRho</c>). Negative control:
/// the same rule at the midpoints between the drops (<see cref="PeriodicEvents.Midpoints"/>), which must refute.
/// </summary>
public sealed class EffectiveLrSawtooth : ClaimAnalysis<EffectiveLrSawtooth.Limits>
{
    public override string Name => "effective-lr-sawtooth";

    public override SeedRule SeedRule => SeedRule.EverySeed;

    /// <summary>PB-3's rule: the robust point 2, how many drops, the share that must match, the saw-tooth's rho, and what a drop is.</summary>
    public sealed record Limits(
        [Within(0.5, 1)] double RobustValAccuracy,
        [Within(1, 1000)] int MinDrops,
        [ParameterName("minMatchedShare")][Within(0, 1)] double MinShare,
        [ParameterName("minSawtoothRho")][Within(-1, 1)] double MinRho,
        DropRules Rules);

    public override string? ControlName => "midpoints-between-drops";

    public override AnalysisResult Analyze(ClaimContext context, Limits limits)
    {
        var (arms, _) = PeriodicMember.Arms(context);
        var perArm = arms.Select(a => (Arm: a, Members: PeriodicMember.Of(a, limits.Rules, limits.RobustValAccuracy))).ToList();
        var result = Decide(context.Claim.ScopeKind, [.. perArm.SelectMany(a => a.Members)], limits);
        return result with { Figures = [.. perArm.Select(a => Figure(context, a.Arm, a.Members))] };
    }

    /// <summary>The same rule with each member's drops replaced by the moments halfway between them.</summary>
    public override AnalysisResult AnalyzeControl(ClaimContext context, Limits limits)
    {
        var (arms, _) = PeriodicMember.Arms(context);
        var members = arms.SelectMany(a => PeriodicMember.Of(a, limits.Rules, limits.RobustValAccuracy));
        return Decide(context.Claim.ScopeKind, [.. members.Select(m => Midpoints(m, limits.Rules))], limits);
    }

    /// <summary>A member whose drops are <see cref="PeriodicEvents.Midpoints"/> of its drops.</summary>
    public static PeriodicMember Midpoints(PeriodicMember m, DropRules rules) =>
        m with { Drops = PeriodicEvents.Midpoints(m.Series, rules, m.Drops) };

    /// <summary>
    /// PB-3's rule on a set of members: drops per seed, and three shares pooled over the seeds (effective-lr spikes and
    /// effective-gradient spikes among the recovered drops, rising intervals among the intervals read).
    /// </summary>
    public static AnalysisResult Decide(ClaimScope scope, IReadOnlyList<PeriodicMember> members, Limits limits)
    {
        var rules = limits.Rules;
        var counts = members.Select(m => m.Missing() is null ? (double)m.Drops.Count : double.NaN).ToList();
        var recovered = members.SelectMany(m => m.Drops.Where(d => d.Recovered)).ToList();
        var rises = members.SelectMany(m => PeriodicEvents.IntervalRises(m.Series, m.Drops, rules.WindowEpochs)).ToList();
        Comparison[] comparisons =
        [
            Thresholds.Judge(scope, new Quantity("drops", "train-accuracy drops in the grokking phase per seed", "drops"),
                counts, Relation.AtLeast, limits.MinDrops),
            Pooled("lrSpikeSharePooled", "share of the recovered drops with an effective-lr spike, pooled",
                recovered.Count(d => d.MatchesLrSpike(rules)), recovered.Count, members.Select(m => Share(m, d => d.MatchesLrSpike(rules)))),
            Pooled("gradSpikeSharePooled", "share of the recovered drops with an effective-gradient spike, pooled",
                recovered.Count(d => d.MatchesGradSpike(rules)), recovered.Count, members.Select(m => Share(m, d => d.MatchesGradSpike(rules)))),
            Pooled("sawtoothSharePooled", "share of the inter-drop intervals where the effective lr rises, pooled",
                rises.Count(r => r >= limits.MinRho), rises.Count, members.Select(m => SawtoothShare(m, rules, limits.MinRho))),
        ];
        Comparison Pooled(string key, string name, int k, int n, IEnumerable<double> perSeed) =>
            Thresholds.Share(new Quantity(key, name), k, n, Relation.AtLeast, limits.MinShare, [.. perSeed]);

        var preconditions = members.Select(m => PbDecision.Precondition(m.Spec.Seed, m.Subject, m.Missing(), m.Diverged)).ToList();
        string readings = string.Join("; ", members.Select(m => $"{m.Subject}: {Judge(m, limits).Reason}"));
        return PbDecision.Decide(preconditions, comparisons, Measure(members, limits), [], readings);
    }

    /// <summary>One seed's reading, shown in the reason (the verdict comes from <see cref="Decide"/>'s comparisons).</summary>
    public static SeedFinding Judge(PeriodicMember m, Limits limits)
    {
        if (m.Missing() is { } missing)
        {
            return new(m.Spec.Seed, Verdict.Inconclusive, missing, m.Diverged);
        }

        if (m.Drops.Count < limits.MinDrops)
        {
            return new(m.Spec.Seed, m.Diverged ? Verdict.Inconclusive : Verdict.Refuted,
                $"{m.DropEpochs} in the grokking phase: fewer than {limits.MinDrops}, no saw-tooth to speak of", m.Diverged);
        }

        var rules = limits.Rules;
        int lr = m.Drops.Count(d => d.Recovered && d.MatchesLrSpike(rules));
        int grad = m.Drops.Count(d => d.Recovered && d.MatchesGradSpike(rules));
        int recovered = m.Drops.Count(d => d.Recovered);
        var rises = PeriodicEvents.IntervalRises(m.Series, m.Drops, rules.WindowEpochs);
        int rising = rises.Count(r => r >= limits.MinRho);
        string rhos = string.Join(", ", rises.Select(r => r.ToString("0.00", CultureInfo.InvariantCulture)));
        string what = $"{m.DropEpochs}; effective-lr spike at {lr}, effective-gradient spike at {grad} of {recovered} recovered; "
            + $"effective lr rising in {rising} of {rises.Count} interval(s) (rho {rhos})";
        if (rises.Count == 0)
        {
            return new(m.Spec.Seed, Verdict.Inconclusive, $"{what}: no interval between drops long enough to read", m.Diverged);
        }

        var failures = new List<string>();
        if (lr < limits.MinShare * recovered)
        {
            failures.Add("too few effective-lr spikes");
        }

        if (grad < limits.MinShare * recovered)
        {
            failures.Add("too few effective-gradient spikes");
        }

        if (rising < limits.MinShare * rises.Count)
        {
            failures.Add("the effective lr is not saw-toothed");
        }

        return failures.Count > 0
            ? new(m.Spec.Seed, Verdict.Refuted, $"{what}: {string.Join(", ", failures)} (share >= {limits.MinShare:0.##} required)", m.Diverged)
            : new(m.Spec.Seed, m.Diverged ? Verdict.Inconclusive : Verdict.Confirmed, what, m.Diverged);
    }

    private static List<MeasuredValue> Measure(IReadOnlyList<PeriodicMember> members, Limits limits)
    {
        var rules = limits.Rules;
        var lrShares = members.Select(m => Share(m, d => d.MatchesLrSpike(rules))).ToList();
        var gradShares = members.Select(m => Share(m, d => d.MatchesGradSpike(rules))).ToList();
        var sawShares = members.Select(m => SawtoothShare(m, rules, limits.MinRho)).ToList();
        var lrFalls = members.SelectMany(m => m.Drops.Select(d => d.LrFall));
        var gradRatios = members.SelectMany(m => m.Drops.Select(d => d.GradRatio));
        string atLeast = $"reported; the pooled share decides (>= {limits.MinShare:0.###})";
        return
        [
            new("share of recovered drops with an effective-lr spike, min over LayerNorm seeds", MemberSeries.Min(lrShares), "", null,
                atLeast, lrShares, Key: "lrSpikeShare"),
            new("share of recovered drops with an effective-gradient spike, min over LayerNorm seeds", MemberSeries.Min(gradShares), "", null,
                atLeast, gradShares, Key: "gradSpikeShare"),
            new("share of inter-drop intervals where the effective lr rises (rho >= the bound), min over seeds", MemberSeries.Min(sawShares),
                "", null, atLeast, sawShares, Key: "sawtoothShare"),
            new("effective-lr fall at a drop, median over all drops", MemberSeries.Median(lrFalls), "", null,
                $"a spike is >= {rules.LrFall}", PbDecision.SeedMedians(members, d => d.LrFall), Key: "lrFall"),
            new("effective-gradient peak / baseline at a drop, median over all drops", MemberSeries.Median(gradRatios), "x", null,
                $"a spike is >= {rules.GradSpike}", PbDecision.SeedMedians(members, d => d.GradRatio), Key: "gradRatio"),
        ];
    }

    /// <summary>
    /// Share of a member's recovered drops that match; NaN without one. The denominator is PB-2's (issue 25): a drop the run
    /// cut off could not show its companion's whole window (the lr's fall and the gradient's peak are read up to and after
    /// recovery), so it is a missing reading, not a miss.
    /// </summary>
    public static double Share(PeriodicMember m, Func<TrainDrop, bool> match)
    {
        int recovered = m.Drops.Count(d => d.Recovered);
        return recovered == 0 ? double.NaN : (double)m.Drops.Count(d => d.Recovered && match(d)) / recovered;
    }

    /// <summary>The share before issue 25, over all drops (a drop cut off by the end of the run counted as a miss); for the report.</summary>
    public static double ShareOverAllDrops(PeriodicMember m, Func<TrainDrop, bool> match) =>
        m.Drops.Count == 0 ? double.NaN : (double)m.Drops.Count(match) / m.Drops.Count;

    private static double SawtoothShare(PeriodicMember m, DropRules rules, double minRho)
    {
        var rises = PeriodicEvents.IntervalRises(m.Series, m.Drops, rules.WindowEpochs);
        return rises.Count == 0 ? double.NaN : (double)rises.Count(r => r >= minRho) / rises.Count;
    }

    /// <summary>PB's Fig. 5 for one arm: effective lr and effective gradient norm against epochs, drops as dots.</summary>
    private static ClaimFigure Figure(ClaimContext context, ClaimContext arm, IReadOnlyList<PeriodicMember> members)
    {
        var lr = new List<(string, double[], double[])>();
        var grad = new List<(string, double[], double[])>();
        foreach (var m in members)
        {
            string label = $"seed {m.Spec.Seed}";
            lr.Add((label, m.Series.Epochs, m.Series.EffectiveLearningRate));
            grad.Add((label, m.Series.Epochs, m.Series.EffectiveGradNorm));
            foreach (var d in m.Drops)
            {
                int i = Array.FindIndex(m.Series.Epochs, e => e >= d.StartEpoch);
                lr.Add((label, [d.StartEpoch], [m.Series.EffectiveLearningRate[i]]));
                grad.Add((label, [d.StartEpoch], [m.Series.EffectiveGradNorm[i]]));
            }
        }

        int layers = arm.RunOptions.Model.Layers;
        string title = $"{context.Claim.Id} (PB Fig. 5): {layers}-layer LayerNorm transformer, dots: train-accuracy drops";
        return context.Plot($"effective-{layers}-layer", title, (dir, name) => PanelChart.Write(dir, name, title,
        [
            new ChartPanel("effective learning rate lr / |theta_SI|^2", "epoch", "effective lr", lr, LogY: true),
            new ChartPanel("effective gradient norm |g_SI| |theta_SI|", "epoch", "effective gradient norm", grad, LogY: true),
        ]));
    }
}
