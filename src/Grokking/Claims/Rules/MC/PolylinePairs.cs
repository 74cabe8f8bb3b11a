using Grokking.Claims.Analyses;
using Grokking.Claims.Contracts;
using Grokking.Claims.Toolkit;
using Grokking.Landscape;

namespace Grokking.Claims.Rules.MC;

/// <summary>
/// The one-bend polylines MC-6 and MC-7 fit between the same point of two initializations (cyclic pairs of seeds), at
/// the memorizing points 1 and 1' or the generalizing points 2 and 2'. Each claim's control reads the other's fits, so
/// both go through here: one cache name per end point, one fit each.
/// </summary>
internal static class PolylinePairs
{
    /// <summary>Which end points the polylines join.</summary>
    public enum Ends
    {
        Point1,
        Point2,
    }

    /// <summary>
    /// The fitted, evaluated polyline of every pair of seeds that has the point; null when the members do not share
    /// their data (a path between models of different splits has no meaning).
    /// </summary>
    public static IReadOnlyList<(string Pair, PathEvaluation Curve)>? Read(ClaimContext context, RobustPoint2Snapshot point2, Ends ends)
    {
        var land = new GrokkingLandscape(context, point2);
        if (!land.MembersShareData)
        {
            return null;
        }

        return ends == Ends.Point1
            ? land.PairPolylines("polyline-p1-p1prime", m => m.Point1Step is null ? null : m.AtPoint1)
            : land.PairPolylines("polyline-p2-p2prime", m => m.Point2Step is null ? null : m.AtPoint2);
    }

    /// <summary>The result when the members were trained on separate splits.</summary>
    public static AnalysisResult SeparateSplits() => new(Verdict.Inconclusive, GrokkingLandscape.SeparateSplits, [], []);

    /// <summary>The decided result with the figure of its polylines.</summary>
    public static AnalysisResult Plotted(
        ClaimContext context, IReadOnlyList<(string Pair, PathEvaluation Curve)> curves, Ends ends, AnalysisResult decided)
    {
        var paths = curves.Select(c => c.Curve).ToList();
        string between = ends == Ends.Point1 ? "points 1 and 1'" : "points 2 and 2'";
        string title = $"{context.Claim.Id}: fitted polyline between {between} of two initializations";
        var figure = context.Plot("polyline", title, (dir, name) => PathFigure.Write(dir, name, title, paths));
        return decided with { Figures = [figure] };
    }
}
