using Grokking.Claims.Analyses;
using Grokking.Claims.Contracts;
using Grokking.Configuration;
using Grokking.Data;
using Grokking.Landscape;

namespace Grokking.Claims.Toolkit;

/// <summary>
/// What the landscape claims of MC and GV (MC-5..7, GV-1..3) need to decide from comparisons (issue 25): the
/// resolutions of their universal comparisons, read off the run — one pair of the train or validation set, and the
/// float32 rounding of a path's mean cross-entropy — and the coverage precondition of per-seed paths (a seed
/// without its path is undecided, as <see cref="SeedVerdicts.Combine"/> reads it).
/// </summary>
public static class PathVerdicts
{
    /// <summary>float32's unit roundoff (2^-23): path losses are float32 means, so differences below it times their size are rounding.</summary>
    public const double FloatEpsilon = 1.0 / (1 << 23);

    /// <summary>One misclassified training pair, as a share of the training set: an error's resolution.</summary>
    public static double TrainPair(GrokkingOptions options) => 1.0 / PopulationDataFactory.TrainCount(options.Data);

    /// <summary>One misclassified validation pair (the rest of the operation table), as a share of the validation set.</summary>
    public static double ValidationPair(GrokkingOptions options)
    {
        var data = options.Data;
        if (data.Kind != DatasetKind.Modular)
        {
            throw new InvalidOperationException("the validation pair resolution is defined for operation tables (Data:Kind Modular)");
        }

        int total = ModularArithmeticDataset.Create(data.Operation, data.Modulus, data.Format).Count;
        return 1.0 / (total - PopulationDataFactory.TrainCount(data));
    }

    /// <summary>
    /// The rounding of a loss difference on <paramref name="paths"/>: float32 roundoff of their largest train loss, times
    /// <paramref name="terms"/> when the compared quantity sums that many differences.
    /// </summary>
    public static double LossRounding(IEnumerable<PathEvaluation> paths, int terms = 1)
    {
        double largest = paths.SelectMany(p => p.Points).Select(p => Math.Abs(p.TrainLoss)).DefaultIfEmpty(0).Max();
        return FloatEpsilon * largest * Math.Max(1, terms);
    }

    /// <summary>Per member, the value of its path (NaN where it has none: left out of the statistics, reported by coverage).</summary>
    public static List<double> PerMember(
        GrokkingLandscape land, IReadOnlyDictionary<int, PathEvaluation> paths, Func<PathEvaluation, double> value) =>
        land.Members.Select(m => paths.TryGetValue(m.Spec.Index, out var e) ? value(e) : double.NaN).ToList();

    /// <summary>
    /// The precondition of per-seed paths: every completed seed has its path, at least three do, and fewer than half
    /// diverged (<see cref="SeedVerdicts.Combine"/> on the members' findings, <paramref name="describe"/> for those with a path).
    /// </summary>
    public static (Verdict Verdict, string Reason) Coverage(
        GrokkingLandscape land, IReadOnlyDictionary<int, PathEvaluation> paths, Func<GrokkingMember, PathEvaluation, SeedFinding> describe)
    {
        var findings = land.FindingsOn(paths, (m, e) => describe(m, e) with { Verdict = Verdict.Confirmed });
        var (verdict, reason) = SeedVerdicts.Combine(findings);
        string seeds = string.Join("; ", findings.Select(f => $"{f.Subject}: {f.Reason}"));
        return verdict == Verdict.Confirmed ? (verdict, $"per seed: {seeds}") : (verdict, $"seeds without their path: {reason}");
    }

    /// <summary>
    /// The verdict from the comparisons and the preconditions: a refuting comparison refutes (one counterexample is
    /// enough, whatever else is missing), otherwise an undecided part leaves it undecided.
    /// </summary>
    public static AnalysisResult Decide(
        IReadOnlyList<Comparison> comparisons,
        IReadOnlyList<(Verdict Verdict, string Reason)> preconditions,
        IReadOnlyList<MeasuredValue> measured,
        IReadOnlyList<ClaimFigure> figures)
    {
        var (verdict, reason) = Thresholds.Combine(comparisons);
        var all = SeedVerdicts.Worst([verdict, .. preconditions.Select(p => p.Verdict)]);
        string details = string.Join(" | ", preconditions.Select(p => p.Reason));
        return new AnalysisResult(all, details.Length == 0 ? reason : $"{reason} | {details}", measured, figures) { Comparisons = comparisons };
    }
}
