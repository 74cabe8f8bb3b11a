namespace Grokking.Landscape;

/// <summary>The shapes of path between weight vectors the toolkit evaluates.</summary>
public enum PathKind
{
    /// <summary>Straight segment between two vectors.</summary>
    Segment,

    /// <summary>Straight segments through an ordered list of vectors, stitched (MC-4's checkpoints every 100 epochs).</summary>
    Chain,

    /// <summary>MC's one-bend polyline (Def. 3): w1 at t = 0, the bend at t = 0.5, w2 at t = 1.</summary>
    Polyline,

    /// <summary>Garipov et al.'s quadratic Bézier curve with one control point.</summary>
    Bezier,
}
