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
/// <c>symmetryTolerance</c>. Per pair of seeds (cyclic pairs); every part must hold.
/// </summary>
public sealed class FittedPolylineGeneralizationPair : ClaimAnalysis<FittedPolylineGeneralizationPair.Limits>
{
    public override string Name => "fitted-polyline-generalization-pair";

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
        var land = new GrokkingLandscape(context, limits.Point2);
        if (!land.MembersShareData)
        {
            return new AnalysisResult(Verdict.Inconclusive, GrokkingLandscape.SeparateSplits, [], []);
        }

        var curves = land.PairPolylines("polyline-p2-p2prime", m => m.Point2Step is null ? null : m.AtPoint2);
        var findings = curves.Select((c, i) => Judge(i, c.Pair, c.Curve, limits)).ToList();
        var (verdict, reason) = SeedVerdicts.Combine(findings);
        var paths = curves.Select(c => c.Curve).ToList();
        string title = $"{context.Claim.Id}: fitted polyline between points 2 and 2' of two initializations";
        var figure = context.Plot("polyline", title, (dir, name) => PathFigure.Write(dir, name, title, paths));
        return new AnalysisResult(verdict, reason, Measure(paths, limits), [figure]);
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
