using System.Globalization;
using Grokking.Claims.Analyses;
using Grokking.Claims.Contracts;
using Grokking.Claims.Toolkit;
using Grokking.Plots;

namespace Grokking.Claims.Rules.PB;

/// <summary>
/// PB-3: the drops of PB-2 coincide with spikes of the effective learning rate and of the effective gradient norm,
/// and the effective learning rate is saw-toothed. Per LayerNorm seed, over the drops of its grokking phase: at
/// least <c>minMatchedShare</c> of them come with an effective-lr spike (its peak within <c>windowEpochs</c> of the
/// drop, then a fall of at least <c>lrFall</c> by <c>windowEpochs</c> after recovery) and the same share with an
/// effective-gradient spike (peak at least <c>gradSpike</c> x its median over the <c>gradBaselineEpochs</c> before);
/// saw-tooth: in at least <c>minMatchedShare</c> of the intervals between drops the effective lr rises
/// monotonically up to noise (Spearman rho of effective lr against epoch >= <c>minSawtoothRho</c>). A seed with
/// fewer than <c>minDrops</c> drops has no teeth: it refutes.
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

    public override AnalysisResult Analyze(ClaimContext context, Limits limits)
    {
        var (arms, _) = PeriodicMember.Arms(context);
        var perArm = arms.Select(a => (Arm: a, Members: PeriodicMember.Of(a, limits.Rules, limits.RobustValAccuracy))).ToList();
        var members = perArm.SelectMany(a => a.Members).ToList();
        var (verdict, reason) = SeedVerdicts.Combine([.. members.Select(m => Judge(m, limits) with { Unit = m.Subject })]);
        var figures = perArm.Select(a => Figure(context, a.Arm, a.Members)).ToList();
        return new AnalysisResult(verdict, reason, Measure(members, limits), figures);
    }

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
        int lr = m.Drops.Count(d => d.MatchesLrSpike(rules));
        int grad = m.Drops.Count(d => d.MatchesGradSpike(rules));
        var rises = PeriodicEvents.IntervalRises(m.Series, m.Drops, rules.WindowEpochs);
        int rising = rises.Count(r => r >= limits.MinRho);
        string rhos = string.Join(", ", rises.Select(r => r.ToString("0.00", CultureInfo.InvariantCulture)));
        string what = $"{m.DropEpochs}; effective-lr spike at {lr}, effective-gradient spike at {grad} of {m.Drops.Count}; "
            + $"effective lr rising in {rising} of {rises.Count} interval(s) (rho {rhos})";
        if (rises.Count == 0)
        {
            return new(m.Spec.Seed, Verdict.Inconclusive, $"{what}: no interval between drops long enough to read", m.Diverged);
        }

        var failures = new List<string>();
        if (lr < limits.MinShare * m.Drops.Count)
        {
            failures.Add("too few effective-lr spikes");
        }

        if (grad < limits.MinShare * m.Drops.Count)
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
        string atLeast = $">= {limits.MinShare:0.###}";
        return
        [
            new("share of drops with an effective-lr spike, min over LayerNorm seeds", MemberSeries.Min(lrShares), "", null,
                atLeast, lrShares, Key: "lrSpikeShare"),
            new("share of drops with an effective-gradient spike, min over LayerNorm seeds", MemberSeries.Min(gradShares), "", null,
                atLeast, gradShares, Key: "gradSpikeShare"),
            new("share of inter-drop intervals where the effective lr rises (rho >= the bound), min over seeds", MemberSeries.Min(sawShares),
                "", null, atLeast, sawShares, Key: "sawtoothShare"),
            new("effective-lr fall at a drop, median over all drops", MemberSeries.Median(lrFalls), "", null,
                $"a spike is >= {rules.LrFall}", Key: "lrFall"),
            new("effective-gradient peak / baseline at a drop, median over all drops", MemberSeries.Median(gradRatios), "x", null,
                $"a spike is >= {rules.GradSpike}", Key: "gradRatio"),
        ];
    }

    /// <summary>Share of a member's drops that match; NaN without drops.</summary>
    private static double Share(PeriodicMember m, Func<TrainDrop, bool> match) =>
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
