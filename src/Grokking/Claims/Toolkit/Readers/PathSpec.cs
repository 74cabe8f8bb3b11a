using Grokking.Landscape;

namespace Grokking.Claims.Toolkit;

/// <summary>
/// A path through a run's snapshots: a segment (two anchors) or a chain (several), or a curve to fit between two
/// anchors (polyline or Bézier). <c>Label</c> names it in figures and tables.
/// </summary>
public sealed record PathSpec(PathKind Kind, IReadOnlyList<PathAnchor> Anchors, string Label);
