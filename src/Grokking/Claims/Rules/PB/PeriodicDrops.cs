using Grokking.Claims.Analyses;
using Grokking.Claims.Contracts;
using Grokking.Claims.Toolkit;

namespace Grokking.Claims.Rules.PB;

/// <summary>
/// PB-2 (typical, issue 25): in the grokking phase (point 1 to the robust point 2) of the LayerNorm seeds, train accuracy
/// drops at least <c>minDrops</c> times per seed (Student-t interval of the seeds' counts; a drop: a fall from >=
/// <c>dropFrom</c> to <= <c>dropTo</c> within <c>fallWithinEpochs</c>), and the share of the recovered drops that come
/// with an upward validation jump (median validation accuracy over <c>windowEpochs</c> after recovery minus the median
/// over <c>windowEpochs</c> before the drop, at least <c>valJump</c>), pooled over the seeds, is at least
/// <c>minMatchedShare</c> (Wilson interval). Negative control: the same rule on the no-norm arm, which must refute.
/// </summary>
public sealed class PeriodicDrops : ClaimAnalysis<PeriodicDrops.Parameters>
{
    public override string Name => "periodic-drops";

    public override SeedRule SeedRule => SeedRule.EverySeed;

    /// <summary>PB-2's rule: the robust point 2, how many drops, what share must match, and what a drop is.</summary>
    public sealed record Parameters(
        [Within(0.5, 1)] double RobustValAccuracy,
        [Within(1, 1000)] int MinDrops,
        [ParameterName("minMatchedShare")][Within(0, 1)] double MinShare,
        DropRules Rules);

    public override string? ControlName => "no-norm-arm";

    public override AnalysisResult Analyze(ClaimContext context, Parameters parameters)
    {
        var (arms, controls) = PeriodicMember.Arms(context);
        var result = Decide(context.Claim.ScopeKind, Read(arms, parameters), parameters);
        var controlCounts = Read(controls, parameters).Select(c => (double)c.Drops.Count).ToList();
        var controlDrops = new MeasuredValue("train-accuracy drops in the no-norm control after its point 1, max over seeds",
            MemberSeries.Max(controlCounts), "drops", null, "the control (same rules) must refute", controlCounts, Key: "controlDrops");
        var figures = arms.Concat(controls).Select(a => Figure(context, a)).ToList();
        return result with { Measured = [.. result.Measured, controlDrops], Figures = figures };
    }

    /// <summary>The same rule on the no-norm arm: without LayerNorm PB expects no periodic drops.</summary>
    public override AnalysisResult AnalyzeControl(ClaimContext context, Parameters parameters)
    {
        var (_, controls) = PeriodicMember.Arms(context);
        return Decide(context.Claim.ScopeKind, Read(controls, parameters), parameters);
    }

    /// <summary>
    /// PB-2's rule on a set of members: the drops per seed (at least <c>minDrops</c>) and the share of recovered drops with
    /// a validation jump, pooled over the seeds (Wilson interval; at least <c>minMatchedShare</c>).
    /// </summary>
    public static AnalysisResult Decide(ClaimScope scope, IReadOnlyList<PeriodicMember> members, Parameters p)
    {
        var counts = members.Select(m => m.Missing() is null ? (double)m.Drops.Count : double.NaN).ToList();
        var recovered = members.SelectMany(m => m.Drops.Where(d => d.Recovered)).ToList();
        int matched = recovered.Count(d => d.MatchesValJump(p.Rules));
        var shares = members.Select(m => MatchedShare(m, p.Rules)).ToList();
        Comparison[] comparisons =
        [
            Thresholds.Judge(scope, new Quantity("drops", "train-accuracy drops between point 1 and robust point 2 per seed", "drops"),
                counts, Relation.AtLeast, p.MinDrops),
            Thresholds.Share(new Quantity("matchedSharePooled", "share of the recovered drops with an upward validation jump, pooled"),
                matched, recovered.Count, Relation.AtLeast, p.MinShare, shares),
        ];
        var preconditions = members.Select(m => PbDecision.Precondition(m.Spec.Seed, m.Subject, m.Missing(), m.Diverged)).ToList();
        string readings = string.Join("; ", members.Select(m => $"{m.Subject}: {Judge(m, p.Rules, p.MinDrops, p.MinShare).Reason}"));
        return PbDecision.Decide(preconditions, comparisons, Measure(members, p), [], readings);
    }

    /// <summary>
    /// Share of the recovered drops with a validation jump (issue 25's denominator question, the same for PB-2 and PB-3):
    /// a drop the run cut off before its recovery could not show its companion, so it is a missing reading, not a miss.
    /// </summary>
    public static double MatchedShare(PeriodicMember m, DropRules rules)
    {
        int recovered = m.Drops.Count(d => d.Recovered);
        return recovered == 0 ? double.NaN : (double)m.Drops.Count(d => d.MatchesValJump(rules)) / recovered;
    }

    /// <summary>One seed's reading, shown in the reason (the verdict comes from <see cref="Decide"/>'s comparisons).</summary>
    public static SeedFinding Judge(PeriodicMember m, DropRules rules, int minDrops, double minShare)
    {
        if (m.Missing() is { } missing)
        {
            return new(m.Spec.Seed, Verdict.Inconclusive, missing, m.Diverged);
        }

        int matched = m.Drops.Count(d => d.MatchesValJump(rules));
        string what = $"{m.DropEpochs} between epochs {m.Points.Point1:0} and {m.PhaseEnd:0}; "
            + $"{matched} of {m.Drops.Count(d => d.Recovered)} recovered with a validation jump >= {rules.ValJump}";
        if (m.Drops.Count < minDrops)
        {
            // Fewer drops before point 2 than required: a diverged seed had less time, so only a completed one refutes.
            var fewer = m.Diverged ? Verdict.Inconclusive : Verdict.Refuted;
            return new(m.Spec.Seed, fewer, $"{what}: fewer than {minDrops} drops", m.Diverged);
        }

        double share = MatchedShare(m, rules);
        return share >= minShare
            ? new(m.Spec.Seed, m.Diverged ? Verdict.Inconclusive : Verdict.Confirmed, what, m.Diverged)
            : new(m.Spec.Seed, Verdict.Refuted, $"{what}: share {share:0.##} < {minShare:0.##}", m.Diverged);
    }

    private static List<PeriodicMember> Read(IEnumerable<ClaimContext> arms, Parameters p) =>
        [.. arms.SelectMany(a => PeriodicMember.Of(a, p.Rules, p.RobustValAccuracy))];

    private static List<MeasuredValue> Measure(IReadOnlyList<PeriodicMember> members, Parameters p)
    {
        var counts = members.Select(m => (double)m.Drops.Count).ToList();
        var shares = members.Select(m => MatchedShare(m, p.Rules)).ToList();
        var jumps = members.SelectMany(m => m.Drops.Where(d => d.Recovered).Select(d => d.ValJump)).ToList();
        return
        [
            new("train-accuracy drops between point 1 and robust point 2, min over LayerNorm seeds", MemberSeries.Min(counts), "drops", null,
                $">= {p.MinDrops}", counts, Key: "drops"),
            new("share of drops with an upward validation jump, min over LayerNorm seeds", MemberSeries.Min(shares), "", null,
                $"reported; the pooled share decides (>= {p.MinShare:0.###})", shares, Key: "matchedShare"),
            new("validation jump at a drop, median over all drops", MemberSeries.Median(jumps), "", null,
                $"a jump is >= {p.Rules.ValJump}", PbDecision.SeedMedians(members, d => d.Recovered ? d.ValJump : double.NaN), Key: "valJump"),
        ];
    }

    private static ClaimFigure Figure(ClaimContext context, ClaimContext arm) =>
        MemberSeries.AccuracyFigure(arm, $"accuracy-{arm.Experiment}",
            $"{context.Claim.Id}: {arm.Experiment}, train / validation accuracy (solid / dashed)", arm.Members);
}
