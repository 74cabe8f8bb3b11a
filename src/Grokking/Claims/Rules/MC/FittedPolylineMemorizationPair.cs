using Grokking.Claims.Analyses;
using Grokking.Claims.Contracts;
using Grokking.Claims.Toolkit;
using Grokking.Landscape;

namespace Grokking.Claims.Rules.MC;

/// <summary>
/// MC-6: a one-bend polyline fitted between the points 1 and 1' of two initializations (same data) is a path of
/// memorizing solutions (train error at most <c>maxTrainError</c> everywhere) that passes a wide minimum with good
/// generalization near its middle: within <c>midWindow</c> of t = 0.5 validation error drops at least
/// <c>minValErrorGain</c> below the better end, and the gradient norm there is below both ends' (wide, in MC's
/// sense). Per pair of seeds (cyclic pairs, each seed in two); typical: each quantity's 95 % Student-t interval over
/// the pairs decides. Control: the same rule on the polylines between the generalizing points 2 and 2' (MC-7's
/// fits), whose ends already generalize, so nothing is left to gain in the middle.
/// </summary>
public sealed class FittedPolylineMemorizationPair : ClaimAnalysis<FittedPolylineMemorizationPair.Limits>
{
    public override string Name => "fitted-polyline-memorization-pair";

    public override string? ControlName => "generalizing-ends";

    public override SeedRule SeedRule => SeedRule.SeedPairs;

    /// <summary>MC-6's rule parameters; the middle window is centred on the paper's good-generalization t.</summary>
    public sealed record Limits(
        RobustPoint2Snapshot Point2,
        [Within(0, 1)] double MaxTrainError,
        [FromPaper("good-generalization t")] double Center,
        [Within(0, 0.5)][ParameterName("midWindow")] double Window,
        [Within(0, 1)][ParameterName("minValErrorGain")] double MinGain);

    public override AnalysisResult Analyze(ClaimContext context, Limits limits)
    {
        var curves = PolylinePairs.Read(context, limits.Point2, PolylinePairs.Ends.Point1);
        return curves is null ? PolylinePairs.SeparateSplits()
            : PolylinePairs.Plotted(context, curves, PolylinePairs.Ends.Point1, Decide(context, curves, limits));
    }

    /// <summary>The control: the rule on the polylines between points 2 and 2' (the fits MC-7 reads, from the cache).</summary>
    public override AnalysisResult AnalyzeControl(ClaimContext context, Limits limits)
    {
        var curves = PolylinePairs.Read(context, limits.Point2, PolylinePairs.Ends.Point2);
        return curves is null ? PolylinePairs.SeparateSplits() : Decide(context, curves, limits);
    }

    private static AnalysisResult Decide(ClaimContext context, IReadOnlyList<(string Pair, PathEvaluation Curve)> curves, Limits limits)
    {
        var paths = curves.Select(c => c.Curve).ToList();
        var pairsOf = (PathVerdicts.TrainPair(context.RunOptions), PathVerdicts.ValidationPair(context.RunOptions));
        var comparisons = Compare(context.Claim.ScopeKind, paths, limits, pairsOf);
        var pairs = curves.Select((c, i) => Judge(i, c.Pair, c.Curve, limits)).Select(f => $"{f.Subject}: {f.Reason}");
        string perPair = curves.Count == 0 ? "no pair of seeds has the point" : $"per pair: {string.Join("; ", pairs)}";
        return PathVerdicts.Decide(comparisons, [(Verdict.Confirmed, perPair)], Measure(paths, limits), []);
    }

    /// <summary>
    /// MC-6's decisive comparisons over the pairs: the largest train error along the polyline, the middle's
    /// validation-error gain over the better end, and the gradient norm at the middle's best point over the smaller of
    /// the ends' (below 1: wider than both ends). Resolutions (used when the scope is universal): one training pair, one
    /// validation pair, float32 rounding of the ratio.
    /// </summary>
    public static List<Comparison> Compare(
        ClaimScope scope, IReadOnlyList<PathEvaluation> curves, Limits limits, (double Train, double Validation) pair) =>
    [
        Thresholds.Judge(scope, new Quantity("maxTrainError", "largest train error along the polyline"),
            curves.Select(c => c.Points.Max(p => p.TrainError)).ToList(), Relation.AtMost, limits.MaxTrainError, pair.Train),
        Thresholds.Judge(scope, new Quantity("valErrorGain", "validation-error gain of the middle over the better end"),
            curves.Select(c => Middle(c, limits).Gain).ToList(), Relation.AtLeast, limits.MinGain, pair.Validation),
        Thresholds.Judge(scope, new Quantity("midGradNormRatio", "gradient norm at the middle's best point / the smaller end's"),
            curves.Select(c => WidthRatio(c, limits)).ToList(), Relation.AtMost, 1, PathVerdicts.FloatEpsilon),
    ];

    /// <summary>The gradient norm at the middle's best point over the smaller of the two ends': below 1 where it is wider than both.</summary>
    public static double WidthRatio(PathEvaluation curve, Limits limits) =>
        Middle(curve, limits).Best.GradNorm / Math.Min(curve.Points[0].GradNorm, curve.Points[^1].GradNorm);

    /// <summary>The middle's validation error against the ends' and the train error along each pair's polyline.</summary>
    private static List<MeasuredValue> Measure(IReadOnlyList<PathEvaluation> curves, Limits limits)
    {
        var gain = curves.Select(c => Middle(c, limits).Gain).ToList();
        var midVal = curves.Select(c => Middle(c, limits).Best.ValError).ToList();
        var endVal = curves.Select(c => Math.Min(c.Points[0].ValError, c.Points[^1].ValError)).ToList();
        var worstTrain = curves.Select(c => c.Points.Max(p => p.TrainError)).ToList();
        return
        [
            new($"lowest validation error within {limits.Window} of t = {limits.Center}, median over pairs", MemberSeries.Median(midVal), "", null,
                "reported", midVal, Key: "midValError"),
            new("validation error at the better end (point 1 or 1'), median over pairs", MemberSeries.Median(endVal), "", null,
                "reported", endVal, Key: "endValError"),
            new("validation-error gain of the middle over the better end, min over pairs", MemberSeries.Min(gain), "", null,
                $">= {limits.MinGain}", gain, Key: "valErrorGain"),
            new("largest train error along the polyline, max over pairs", MemberSeries.Max(worstTrain), "", 0,
                $"<= {limits.MaxTrainError}", worstTrain, Key: "maxTrainError"),
        ];
    }

    /// <summary>The point of lowest validation error in the middle window, and how far below the better end it lies.</summary>
    public static (PathPoint Best, double Gain) Middle(PathEvaluation curve, Limits l)
    {
        var best = curve.Points.Where(p => Math.Abs(p.T - l.Center) <= l.Window + 1e-9).MinBy(p => p.ValError)!;
        double ends = Math.Min(curve.Points[0].ValError, curve.Points[^1].ValError);
        return (best, ends - best.ValError);
    }

    public static SeedFinding Judge(int index, string pair, PathEvaluation curve, Limits l)
    {
        double worst = curve.Points.Max(p => p.TrainError);
        var (best, gain) = Middle(curve, l);
        double gradEnds = Math.Min(curve.Points[0].GradNorm, curve.Points[^1].GradNorm);
        string numbers = $"train error <= {worst:P2}; validation error {curve.Points[0].ValError:P1} / {curve.Points[^1].ValError:P1} at the ends, "
            + $"{best.ValError:P1} at t = {best.T:0.00}; gradient norm there {best.GradNorm:0.###} (ends >= {gradEnds:0.###})";
        var failures = new List<string>();
        if (worst > l.MaxTrainError)
        {
            failures.Add($"not a path of memorizing solutions (train error > {l.MaxTrainError:P0})");
        }

        if (!(gain >= l.MinGain))
        {
            failures.Add($"no good generalization near t = {l.Center} (gain {gain:P1} < {l.MinGain:P0})");
        }
        else if (!(best.GradNorm < gradEnds))
        {
            failures.Add("the well-generalizing point is not wider (gradient norm not below both ends)");
        }

        var verdict = failures.Count == 0 ? Verdict.Confirmed : Verdict.Refuted;
        return new SeedFinding(index, verdict, failures.Count == 0 ? numbers : $"{numbers}: {string.Join("; ", failures)}") { Unit = pair };
    }
}
