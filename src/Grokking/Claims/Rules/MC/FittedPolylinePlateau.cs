using Grokking.Claims.Analyses;
using Grokking.Claims.Contracts;
using Grokking.Claims.Toolkit;
using Grokking.Landscape;

namespace Grokking.Claims.Rules.MC;

/// <summary>
/// MC-5: a one-bend polyline fitted between point 1 and the robust point 2 keeps train error ~0 (at most
/// <c>maxTrainError</c> at every evaluated t), and validation error reaches its plateau earlier along t than on
/// the straight segment: the plateau starts where validation error comes within <c>plateauBand</c> of its value
/// at point 2 and stays there, and the polyline's start must lead the segment's by at least <c>minPlateauLead</c>.
/// Typical: each quantity's 95 % Student-t interval over the seeds decides. Control: the polyline before its fit
/// (bend at the segment's midpoint, Def. 3 with theta = (w1 + w2) / 2), which is the straight segment itself.
/// </summary>
public sealed class FittedPolylinePlateau : ClaimAnalysis<FittedPolylinePlateau.Limits>
{
    public override string Name => "fitted-polyline-plateau";

    public override string? ControlName => "unfitted-polyline";

    public override SeedRule SeedRule => SeedRule.EverySeed;

    /// <summary>MC-5's rule parameters and the paper's plateau t, reported beside the measured one.</summary>
    public sealed record Limits(
        RobustPoint2Snapshot Point2,
        [Within(0, 1)] double MaxTrainError,
        [Within(0, 1)][ParameterName("plateauBand")] double Band,
        [Within(0, 1)][ParameterName("minPlateauLead")] double MinLead,
        [FromPaper("polyline plateau t")] double PaperPlateauT);

    public override AnalysisResult Analyze(ClaimContext context, Limits limits)
    {
        var land = new GrokkingLandscape(context, limits.Point2);
        var segments = land.SegmentsFromPoint1ToPoint2();
        var ready = land.WithBothPoints;
        var polylines = land.PolylinesFromPoint1ToPoint2();

        // The segments in the order of the polylines (members with both points), each beside its polyline in the figure.
        var shown = ready
            .SelectMany(m => new[] { polylines[m.Spec.Index], segments[m.Spec.Index] with { Label = $"seed {m.Spec.Seed} segment" } })
            .ToList();
        string title = $"{context.Claim.Id}: fitted one-bend polyline and straight segment, point 1 (t = 0) -> point 2 (t = 1)";
        var figure = context.Plot("polyline", title, (dir, name) => PathFigure.Write(dir, name, title, shown));
        return Decide(context, land, polylines, segments, limits) with { Figures = [figure] };
    }

    /// <summary>
    /// The control: the rule with the polyline before its fit in place of the fitted one. Def. 3's polyline with its
    /// bend at the segment's midpoint, where the fit starts, is the straight segment, so the cached segment is it.
    /// </summary>
    public override AnalysisResult AnalyzeControl(ClaimContext context, Limits limits)
    {
        var land = new GrokkingLandscape(context, limits.Point2);
        var segments = land.SegmentsFromPoint1ToPoint2();
        return Decide(context, land, segments, segments, limits);
    }

    /// <summary>The two typical comparisons over the seeds, with the seeds that have no path as a precondition.</summary>
    private static AnalysisResult Decide(
        ClaimContext context, GrokkingLandscape land, IReadOnlyDictionary<int, PathEvaluation> polylines,
        IReadOnlyDictionary<int, PathEvaluation> segments, Limits limits)
    {
        var ready = polylines.Keys.Where(segments.ContainsKey).ToDictionary(i => i, i => polylines[i]);
        var coverage = PathVerdicts.Coverage(land, ready, (m, poly) => Judge(m.Spec.Seed, poly, segments[m.Spec.Index], limits));
        var worst = PathVerdicts.PerMember(land, ready, p => p.Points.Max(x => x.TrainError));
        var lead = land.Members.Select(m => ready.TryGetValue(m.Spec.Index, out var poly)
            ? Plateau(segments[m.Spec.Index], limits.Band) - Plateau(poly, limits.Band) : double.NaN).ToList();
        var resolution = (PathVerdicts.TrainPair(context.RunOptions), 1.0 / (context.RunOptions.Landscape.Points - 1));
        var comparisons = Compare(context.Claim.ScopeKind, worst, lead, limits, resolution);
        var measured = Measure(ready.Values.ToList(), ready.Keys.Select(i => segments[i]).ToList(), limits);
        return PathVerdicts.Decide(comparisons, [coverage], measured, []);
    }

    /// <summary>
    /// MC-5's decisive comparisons: each seed's largest train error along the polyline at most maxTrainError, and its
    /// plateau lead over the segment at least minPlateauLead; resolutions (used when the scope is universal): one
    /// training pair, and one step of the path's t grid, on which the plateau's start is read.
    /// </summary>
    public static List<Comparison> Compare(
        ClaimScope scope, IReadOnlyList<double> worstTrain, IReadOnlyList<double> lead, Limits limits,
        (double TrainPair, double GridStep) resolution) =>
    [
        Thresholds.Judge(scope, new Quantity("maxTrainError", "polyline: largest train error along t"),
            worstTrain, Relation.AtMost, limits.MaxTrainError, resolution.TrainPair),
        Thresholds.Judge(scope, new Quantity("plateauLead", "plateau lead of the polyline over the segment (t)"),
            lead, Relation.AtLeast, limits.MinLead, resolution.GridStep),
    ];

    /// <summary>Where validation error plateaus on each polyline and its segment, the lead, and the polylines' train error.</summary>
    private static List<MeasuredValue> Measure(IReadOnlyList<PathEvaluation> polylines, IReadOnlyList<PathEvaluation> segments, Limits limits)
    {
        var polyPlateau = polylines.Select(p => Plateau(p, limits.Band)).ToList();
        var segmentPlateau = segments.Select(s => Plateau(s, limits.Band)).ToList();
        var lead = segmentPlateau.Zip(polyPlateau, (s, p) => s - p).ToList();
        var worstTrain = polylines.Select(p => p.Points.Max(x => x.TrainError)).ToList();
        return
        [
            new("polyline: validation plateau starts at t, median", MemberSeries.Median(polyPlateau), "", limits.PaperPlateauT,
                "reported", polyPlateau, Key: "polylinePlateauT"),
            new("straight segment: validation plateau starts at t, median", MemberSeries.Median(segmentPlateau), "", null,
                "reported", segmentPlateau, Key: "segmentPlateauT"),
            new("plateau lead of the polyline over the segment, min over seeds", MemberSeries.Min(lead), "", null,
                $">= {limits.MinLead}", lead, Key: "plateauLead"),
            new("polyline: largest train error along t, max over seeds", MemberSeries.Max(worstTrain), "", 0,
                $"<= {limits.MaxTrainError}", worstTrain, Key: "maxTrainError"),
        ];
    }

    public static double Plateau(PathEvaluation e, double band) => CurveShape.PlateauStart(e.T, e.Values(PathMetric.ValError), band);

    public static SeedFinding Judge(long seed, PathEvaluation polyline, PathEvaluation segment, Limits l)
    {
        double worst = polyline.Points.Max(p => p.TrainError);
        double poly = Plateau(polyline, l.Band);
        double straight = Plateau(segment, l.Band);
        string numbers = $"polyline train error <= {worst:P2}, validation plateau from t = {poly:0.00} (segment: {straight:0.00})";
        var failures = new List<string>();
        if (worst > l.MaxTrainError)
        {
            failures.Add($"train error not ~0 along the polyline (> {l.MaxTrainError:P0})");
        }

        if (!(straight - poly >= l.MinLead))
        {
            failures.Add($"plateau not reached earlier by >= {l.MinLead}");
        }

        return failures.Count == 0
            ? new SeedFinding(seed, Verdict.Confirmed, numbers)
            : new SeedFinding(seed, Verdict.Refuted, $"{numbers}: {string.Join("; ", failures)}");
    }
}
