using Grokking.Claims.Toolkit;
using Grokking.Landscape;

namespace Grokking.Claims.Rules.MC;

/// <summary>
/// The negative control of MC-3 and MC-8 (issue 25): the last segment of MC-4's chain, from the last periodic snapshot
/// at least one grid interval before the robust point 2 to the robust point 2 (MC's 2300 -> 2402), which the paper says
/// changes insignificantly - both ends in the wide minimum, nothing narrow to leave.
/// </summary>
internal static class LastChainSegment
{
    /// <summary>Every member's last chain segment (keyed like the chains), as a segment of its own with t from 0 to 1.</summary>
    public static IReadOnlyDictionary<int, PathEvaluation> Of(GrokkingLandscape land) =>
        land.WholeIntervalChainsFromPoint1ToPoint2().ToDictionary(c => c.Key, c => Rescaled(c.Value.Segments()[^1]));

    /// <summary>A piece of a path re-parameterized so that its first point is t = 0 and its last t = 1.</summary>
    public static PathEvaluation Rescaled(PathEvaluation piece)
    {
        double from = piece.Points[0].T, length = piece.Points[^1].T - from;
        return piece with
        {
            Kind = PathKind.Segment,
            Joins = [0.0, 1.0],
            Points = piece.Points.Select(p => p with { T = (p.T - from) / length }).ToList(),
        };
    }
}
