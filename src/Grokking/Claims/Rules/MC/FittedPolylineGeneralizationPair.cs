using System.Globalization;
using Grokking.Claims.Analyses;
using Grokking.Claims.Contracts;
using Grokking.Claims.Toolkit;
using Grokking.Landscape;

namespace Grokking.Claims.Rules.MC;

/// <summary>
/// MC-7: a one-bend polyline fitted between the robust points 2 and 2' of two initializations changes the metrics
/// little and keeps validation error low (train error at most <c>maxTrainError</c>, validation error at most
/// <c>maxValError</c> at every t), and its gradient norm has two symmetric hills: exactly two interior maxima with
/// prominence at least <c>minHillProminence</c> of the curve's range, one on each side of t = 0.5, mirrored within
/// <c>symmetryTolerance</c>. Per pair of seeds (cyclic pairs); universal: one pair past a threshold by more than the
/// resolution (one training or validation pair; one step of the t grid) refutes, and a pair without the two hills
/// is a counterexample. Control: the same rule on the polylines between the memorizing points 1 and 1' (MC-6's
/// fits), whose ends generalize poorly, so validation error is not kept low.
/// </summary>
public sealed class FittedPolylineGeneralizationPair : ClaimAnalysis<FittedPolylineGeneralizationPair.Limits>
{
    public override string Name => "fitted-polyline-generalization-pair";

    public override string? ControlName => "memorizing-ends";

    public override SeedRule SeedRule => SeedRule.SeedPairs;

    /// <summary>MC-7's rule parameters (the paper states no number this claim reports).</summary>
    public sealed record Limits(
        RobustPoint2Snapshot Point2,
        [Within(0, 1)] double MaxTrainError,
        [Within(0, 1)] double MaxValError,
        [Within(0, 1)][ParameterName("minHillProminence")] double MinProminence,
        [Within(0, 0.5)][ParameterName("symmetryTolerance")] double Symmetry);

    public override AnalysisResult Analyze(ClaimContext context, Limits limits)
    {
        var curves = PolylinePairs.Read(context, limits.Point2, PolylinePairs.Ends.Point2);
        return curves is null ? PolylinePairs.SeparateSplits()
            : PolylinePairs.Plotted(context, curves, PolylinePairs.Ends.Point2, Decide(context, curves, limits));
    }

    /// <summary>The control: the rule on the polylines between points 1 and 1' (the fits MC-6 reads, from the cache).</summary>
    public override AnalysisResult AnalyzeControl(ClaimContext context, Limits limits)
    {
        var curves = PolylinePairs.Read(context, limits.Point2, PolylinePairs.Ends.Point1);
        return curves is null ? PolylinePairs.SeparateSplits() : Decide(context, curves, limits);
    }

    private static AnalysisResult Decide(ClaimContext context, IReadOnlyList<(string Pair, PathEvaluation Curve)> curves, Limits limits)
    {
        var paths = curves.Select(c => c.Curve).ToList();
        var o = context.RunOptions;
        var resolution = (PathVerdicts.TrainPair(o), PathVerdicts.ValidationPair(o), 1.0 / (o.Landscape.Points - 1));
        var comparisons = Compare(context.Claim.ScopeKind, paths, limits, resolution);
        var findings = curves.Select((c, i) => Judge(i, c.Pair, c.Curve, limits)).ToList();
        string pairs = curves.Count == 0 ? "no pair of seeds has the point" : string.Join("; ", findings.Select(f => $"{f.Subject}: {f.Reason}"));
        var shapeless = curves.Where(c => double.IsNaN(Asymmetry(c.Curve, limits))).Select(c => c.Pair).ToList();
        var shape = shapeless.Count == 0
            ? (Verdict.Confirmed, $"per pair: {pairs}")
            : (Verdict.Refuted, $"no two gradient-norm hills, one on each side of t = 0.5, in {string.Join(", ", shapeless)}; per pair: {pairs}");
        return PathVerdicts.Decide(comparisons, [shape], Measure(paths, limits), []);
    }

    /// <summary>
    /// MC-7's decisive comparisons over the pairs: the largest train and validation error along the polyline, and how
    /// far the two gradient-norm hills are from mirroring each other about t = 0.5 (pairs without two hills, one on
    /// each side, have none: they refute by the shape precondition).
    /// </summary>
    public static List<Comparison> Compare(
        ClaimScope scope, IReadOnlyList<PathEvaluation> curves, Limits limits, (double Train, double Validation, double GridStep) resolution) =>
    [
        Thresholds.Judge(scope, new Quantity("maxTrainError", "largest train error along the polyline"),
            curves.Select(c => c.Points.Max(p => p.TrainError)).ToList(), Relation.AtMost, limits.MaxTrainError, resolution.Train),
        Thresholds.Judge(scope, new Quantity("maxValError", "largest validation error along the polyline"),
            curves.Select(c => c.Points.Max(p => p.ValError)).ToList(), Relation.AtMost, limits.MaxValError, resolution.Validation),
        Thresholds.Judge(scope, new Quantity("hillAsymmetry", "gradient-norm hills: |t1 - (1 - t2)|"),
            curves.Select(c => Asymmetry(c, limits)).ToList(), Relation.AtMost, limits.Symmetry, resolution.GridStep),
    ];

    /// <summary>|t1 - (1 - t2)| of the two gradient-norm hills when there are exactly two, one on each side of 0.5; NaN otherwise.</summary>
    public static double Asymmetry(PathEvaluation curve, Limits limits)
    {
        var hills = Hills(curve, limits.MinProminence);
        return hills.Count == 2 && hills[0] < 0.5 && hills[1] > 0.5 ? Math.Abs(hills[0] - (1 - hills[1])) : double.NaN;
    }

    /// <summary>The worst validation and train error along each pair's polyline, and its gradient-norm hills.</summary>
    private static List<MeasuredValue> Measure(IReadOnlyList<PathEvaluation> curves, Limits limits)
    {
        var worstVal = curves.Select(c => c.Points.Max(p => p.ValError)).ToList();
        var worstTrain = curves.Select(c => c.Points.Max(p => p.TrainError)).ToList();
        var hills = curves.Select(c => (double)Hills(c, limits.MinProminence).Count).ToList();
        return
        [
            new("largest validation error along the polyline, max over pairs", MemberSeries.Max(worstVal), "", null,
                $"<= {limits.MaxValError}", worstVal, Key: "maxValError"),
            new("largest train error along the polyline, max over pairs", MemberSeries.Max(worstTrain), "", 0,
                $"<= {limits.MaxTrainError}", worstTrain, Key: "maxTrainError"),
            new("gradient-norm hills (prominence >= the stated share of its range), median over pairs", MemberSeries.Median(hills), "", 2,
                "2, mirrored about t = 0.5", hills, Key: "hills"),
        ];
    }

    /// <summary>t of the gradient-norm maxima whose prominence is at least <paramref name="share"/> of the curve's range.</summary>
    public static IReadOnlyList<double> Hills(PathEvaluation curve, double share)
    {
        var g = curve.Values(PathMetric.GradNorm);
        double range = CurveShape.Range(g);
        return CurveShape.Peaks(g).Where(p => range > 0 && p.Prominence >= share * range).Select(p => curve.Points[p.Index].T).ToList();
    }

    public static SeedFinding Judge(int index, string pair, PathEvaluation curve, Limits l)
    {
        double worstTrain = curve.Points.Max(p => p.TrainError);
        double worstVal = curve.Points.Max(p => p.ValError);
        var hills = Hills(curve, l.MinProminence);
        string at = string.Join(", ", hills.Select(h => h.ToString("0.00", CultureInfo.InvariantCulture)));
        string numbers = $"train error <= {worstTrain:P2}, validation error <= {worstVal:P2}, gradient-norm hills at t = {at}";
        var failures = new List<string>();
        if (worstTrain > l.MaxTrainError)
        {
            failures.Add($"train error > {l.MaxTrainError:P0}");
        }

        if (worstVal > l.MaxValError)
        {
            failures.Add($"validation error not kept low (> {l.MaxValError:P0})");
        }

        bool symmetric = hills.Count == 2 && hills[0] < 0.5 && hills[1] > 0.5 && Math.Abs(hills[0] - (1 - hills[1])) <= l.Symmetry;
        if (!symmetric)
        {
            failures.Add($"gradient norm does not have two hills mirrored about t = 0.5 (within {l.Symmetry})");
        }

        var verdict = failures.Count == 0 ? Verdict.Confirmed : Verdict.Refuted;
        return new SeedFinding(index, verdict, failures.Count == 0 ? numbers : $"{numbers}: {string.Join("; ", failures)}") { Unit = pair };
    }
}
