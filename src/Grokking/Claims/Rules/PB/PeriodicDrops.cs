using Grokking.Claims.Analyses;
using Grokking.Claims.Contracts;
using Grokking.Claims.Toolkit;

namespace Grokking.Claims.Rules.PB;

/// <summary>
/// PB-2: in the grokking phase (point 1 to the robust point 2) of every LayerNorm seed, train accuracy drops at least
/// <c>minDrops</c> times (a drop: a fall from >= <c>dropFrom</c> to <= <c>dropTo</c> within <c>fallWithinEpochs</c>),
/// and at least <c>minMatchedShare</c> of the drops come with an upward validation jump (median validation accuracy
/// over <c>windowEpochs</c> after recovery minus the median over <c>windowEpochs</c> before the drop, at least
/// <c>valJump</c>). The no-norm arm is measured by the same rules and reported beside the verdict: the claim is about
/// what LayerNorm adds, so drops there are said, not gated on.
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

    public override AnalysisResult Analyze(ClaimContext context, Parameters parameters)
    {
        var (arms, controls) = PeriodicMember.Arms(context);
        var members = Read(arms, parameters);
        var control = Read(controls, parameters);
        var findings = members.Select(m => Judge(m, parameters.Rules, parameters.MinDrops, parameters.MinShare) with { Unit = m.Subject });
        var (verdict, reason) = SeedVerdicts.Combine([.. findings]);
        var figures = arms.Concat(controls).Select(a => Figure(context, a)).ToList();
        return new AnalysisResult(verdict, reason + ControlNote(control, parameters.MinDrops), Measure(members, control, parameters), figures);
    }

    /// <summary>Share of the recovered drops with a validation jump: a drop cut off by the end of the run cannot show one.</summary>
    public static double MatchedShare(PeriodicMember m, DropRules rules)
    {
        int recovered = m.Drops.Count(d => d.Recovered);
        return recovered == 0 ? double.NaN : (double)m.Drops.Count(d => d.MatchesValJump(rules)) / recovered;
    }

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

    private static List<MeasuredValue> Measure(IReadOnlyList<PeriodicMember> members, IReadOnlyList<PeriodicMember> control, Parameters p)
    {
        var counts = members.Select(m => (double)m.Drops.Count).ToList();
        var shares = members.Select(m => MatchedShare(m, p.Rules)).ToList();
        var jumps = members.SelectMany(m => m.Drops.Where(d => d.Recovered).Select(d => d.ValJump)).ToList();
        var controlCounts = control.Select(c => (double)c.Drops.Count).ToList();
        return
        [
            new("train-accuracy drops between point 1 and robust point 2, min over LayerNorm seeds", MemberSeries.Min(counts), "drops", null,
                $">= {p.MinDrops}", counts, Key: "drops"),
            new("share of drops with an upward validation jump, min over LayerNorm seeds", MemberSeries.Min(shares), "", null,
                $">= {p.MinShare:0.###}", shares, Key: "matchedShare"),
            new("validation jump at a drop, median over all drops", MemberSeries.Median(jumps), "", null,
                $"a jump is >= {p.Rules.ValJump}", Key: "valJump"),
            new("train-accuracy drops in the no-norm control after its point 1, max over seeds", MemberSeries.Max(controlCounts), "drops", null,
                "reported", controlCounts, Key: "controlDrops"),
        ];
    }

    /// <summary>What the no-norm control shows under the same rules: said beside the verdict, never gated on.</summary>
    private static string ControlNote(List<PeriodicMember> control, int minDrops)
    {
        if (control.Count == 0)
        {
            return "";
        }

        string meaning = control.Any(c => c.Drops.Count >= minDrops)
            ? " — the no-norm model drops as well, so drops alone are not what LayerNorm adds"
            : " — the no-norm model shows no repeated drops";
        return " | no-norm control, same rules: " + string.Join("; ", control.Select(ControlLine)) + meaning;
    }

    private static string ControlLine(PeriodicMember m) =>
        m.Missing() ?? $"seed {m.Spec.Seed}: {m.Drops.Count} drop(s) after point 1 (epoch {m.Points.Point1:0})"
            + (m.Diverged ? $", diverged at epoch {m.Points.DivergedEpoch:0}" : "");

    private static ClaimFigure Figure(ClaimContext context, ClaimContext arm) =>
        MemberSeries.AccuracyFigure(arm, $"accuracy-{arm.Experiment}",
            $"{context.Claim.Id}: {arm.Experiment}, train / validation accuracy (solid / dashed)", arm.Members);
}
