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
/// Per seed; both parts must hold.
/// </summary>
public sealed class FittedPolylinePlateau : ClaimAnalysis<FittedPolylinePlateau.Limits>
{
    public override string Name => "fitted-polyline-plateau";

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
        var specs = ready.Select(m => new PathSpec(PathKind.Polyline, [m.AtPoint1, m.AtPoint2], $"seed {m.Spec.Seed} polyline")).ToList();
        var study = land.Fit("polyline-p1-p2", specs);
        var polylines = ready.Select((m, i) => (m.Spec.Index, study.Curves[i])).ToDictionary(x => x.Index, x => x.Item2);
        var findings = land.FindingsOn(polylines, (m, poly) => Judge(m.Spec.Seed, poly, segments[m.Spec.Index], limits));
        var (verdict, reason) = SeedVerdicts.Combine(findings);

        // The segments in the order of the polylines (members with both points), each beside its polyline in the figure.
        var straight = ready.Select(m => segments[m.Spec.Index]).ToList();
        var shown = ready
            .SelectMany(m => new[] { polylines[m.Spec.Index], segments[m.Spec.Index] with { Label = $"seed {m.Spec.Seed} segment" } })
            .ToList();
        string title = $"{context.Claim.Id}: fitted one-bend polyline and straight segment, point 1 (t = 0) -> point 2 (t = 1)";
        var figure = context.Plot("polyline", title, (dir, name) => PathFigure.Write(dir, name, title, shown));
        return new AnalysisResult(verdict, reason, Measure(polylines.Values.ToList(), straight, limits), [figure]);
    }

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
