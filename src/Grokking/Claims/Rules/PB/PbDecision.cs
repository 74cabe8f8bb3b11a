using Grokking.Claims.Analyses;
using Grokking.Claims.Contracts;
using Grokking.Claims.Toolkit;

namespace Grokking.Claims.Rules.PB;

/// <summary>
/// How PB's rules reach a verdict (issue 25): every thresholded quantity is a <see cref="Comparison"/> made by
/// <see cref="Thresholds"/>, and the verdict is the worst of those comparisons and of the seeds' preconditions (a seed
/// that never reached the event the rule reads cannot speak; half or more diverged seeds leave the setup undecided, as
/// <see cref="SeedVerdicts.Combine"/> says). The per-seed readings follow in the reason; they describe, they do not vote.
/// </summary>
internal static class PbDecision
{
    /// <summary>A seed's precondition: INCONCLUSIVE with <paramref name="missing"/> when set, else able to speak.</summary>
    public static SeedFinding Precondition(long seed, string subject, string? missing, bool diverged) =>
        new(seed, missing is null ? Verdict.Confirmed : Verdict.Inconclusive, missing ?? "read", diverged) { Unit = subject };

    public static AnalysisResult Decide(
        IReadOnlyList<SeedFinding> preconditions,
        IReadOnlyList<Comparison> comparisons,
        IReadOnlyList<MeasuredValue> measured,
        IReadOnlyList<ClaimFigure> figures,
        string readings)
    {
        var (pre, preReason) = SeedVerdicts.Combine(preconditions);
        var (compared, why) = Thresholds.Combine(comparisons);
        var verdict = SeedVerdicts.Worst([pre, compared]);
        string seeds = pre == Verdict.Inconclusive ? $"seeds cannot all speak: {preReason} | " : "";
        string perSeed = readings.Length == 0 ? "" : $" | per seed: {readings}";
        return new AnalysisResult(verdict, seeds + why + perSeed, measured, figures) { Comparisons = comparisons };
    }

    /// <summary>
    /// Per seed, the median of a drop reading (NaN readings are skipped; a seed without one gets NaN): the per-seed values
    /// behind a median over all drops.
    /// </summary>
    public static List<double> SeedMedians(IEnumerable<PeriodicMember> members, Func<TrainDrop, double> reading) =>
        [.. members.Select(m => MemberSeries.Median(m.Drops.Select(reading)))];
}
