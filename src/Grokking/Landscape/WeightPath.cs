using Grokking.Runtime;
using static TorchSharp.torch;

namespace Grokking.Landscape;

/// <summary>
/// A path t in [0, 1] -> weights, as a combination of anchor vectors: phi(t) = sum_a c_a(t) * anchor_a. Every
/// kind here is linear in its anchors, so a whole grid of t is one matrix product (coefficients [N, A] times
/// anchors [A, P]) and a fitted bend gets its gradient by the chain rule through c_bend(t).
/// <para>
/// One direction everywhere: phi(0) is the first anchor (MC's Def. 1, phi(0) = w1 — point 1 — and its Fig. 2,
/// where the gradient norm goes from 0.75 at point 1 to ~0), phi(1) the last. MC's formula for the segment,
/// t*w1 + (1 - t)*w2, runs the other way; the toolkit does not follow it.
/// </para>
/// The path does not own its anchors (they are usually shared between paths); the caller disposes them.
/// </summary>
public sealed class WeightPath
{
    private WeightPath(PathKind kind, string label, IReadOnlyList<WeightVector> anchors)
    {
        Kind = kind;
        Label = label;
        Anchors = anchors;
    }

    public PathKind Kind { get; }

    public string Label { get; }

    public IReadOnlyList<WeightVector> Anchors { get; }

    /// <summary>The seed whose data the path is evaluated on (the first anchor's member).</summary>
    public long Seed => Anchors[0].Seed;

    /// <summary>
    /// t of every anchor that lies on the path (a chain's joins; a curve's bend or control point is not on it unless it
    /// is a polyline).
    /// </summary>
    public IReadOnlyList<double> Joins => Kind switch
    {
        PathKind.Chain => Enumerable.Range(0, Anchors.Count).Select(i => (double)i / (Anchors.Count - 1)).ToList(),
        PathKind.Polyline => [0, 0.5, 1],
        _ => [0, 1],
    };

    public static WeightPath Segment(WeightVector start, WeightVector end, string label) => new(PathKind.Segment, label, [start, end]);

    public static WeightPath Chain(IReadOnlyList<WeightVector> points, string label) =>
        points.Count >= 2
            ? new(PathKind.Chain, label, points.ToList())
            : throw new ArgumentException("a chain needs at least two points", nameof(points));

    public static WeightPath Polyline(WeightVector start, WeightVector bend, WeightVector end, string label) =>
        new(PathKind.Polyline, label, [start, bend, end]);

    public static WeightPath Bezier(WeightVector start, WeightVector control, WeightVector end, string label) =>
        new(PathKind.Bezier, label, [start, control, end]);

    /// <summary>
    /// Anchor weights c_a(t), one per anchor; they sum to 1. A segment is also the line through its ends: any finite t,
    /// t &lt; 0 before the start and t &gt; 1 past the end (PG-7's slices run over [−0.5, 1.5]); every other kind is
    /// defined on [0, 1] only.
    /// </summary>
    public double[] Coefficients(double t)
    {
        bool onLine = Kind == PathKind.Segment && double.IsFinite(t);
        if (!onLine && !(t >= 0 && t <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(t), t, Kind == PathKind.Segment ? "t is finite" : "t lies in [0, 1]");
        }

        switch (Kind)
        {
            case PathKind.Segment:
                return [1 - t, t];
            case PathKind.Chain:
                {
                    int segments = Anchors.Count - 1;
                    double s = t * segments;
                    int i = Math.Min((int)Math.Floor(s), segments - 1);
                    double u = s - i;
                    var c = new double[Anchors.Count];
                    c[i] = 1 - u;
                    c[i + 1] = u;
                    return c;
                }

            case PathKind.Polyline:
                // MC's Def. 3: 2(t*theta + (0.5 - t)*w1) on [0, 0.5], 2((t - 0.5)*w2 + (1 - t)*theta) on [0.5, 1].
                return t <= 0.5 ? [1 - (2 * t), 2 * t, 0] : [0, 2 - (2 * t), (2 * t) - 1];
            default:
                return [(1 - t) * (1 - t), 2 * t * (1 - t), t * t];
        }
    }

    /// <summary>
    /// The t grid a path is evaluated on: <paramref name="points"/> evenly spaced for a single path; for a chain,
    /// <paramref name="perSegment"/> per segment with the joins shared (the join of two segments is evaluated once).
    /// </summary>
    public double[] Grid(int points, int perSegment)
    {
        if (Kind != PathKind.Chain)
        {
            return Enumerable.Range(0, points).Select(i => (double)i / (points - 1)).ToArray();
        }

        int segments = Anchors.Count - 1;
        int n = (segments * (perSegment - 1)) + 1;
        return Enumerable.Range(0, n).Select(i => (double)i / (n - 1)).ToArray();
    }

    /// <summary>
    /// Coefficients [n, 3] of a one-bend curve (polyline or Bézier) for t [n], as tensor operations, so a curve fit
    /// draws all its t on the device.
    /// </summary>
    public static Tensor BendCoefficients(PathKind kind, Tensor t)
    {
        if (kind == PathKind.Polyline)
        {
            var first = t.Times(-2.0).PlusInPlace(1.0).ClampMinInPlace(0);
            var last = t.Times(2.0).PlusInPlace(-1.0).ClampMinInPlace(0);
            var bend = ones_like(t).sub_(first).sub_(last);
            return stack([first, bend, last], 1);
        }

        if (kind == PathKind.Bezier)
        {
            var s = ones_like(t).sub_(t);
            return stack([s.Squared(), t.mul(s).TimesInPlace(2.0), t.Squared()], 1);
        }

        throw new ArgumentException($"{kind} has no bend to fit", nameof(kind));
    }
}
