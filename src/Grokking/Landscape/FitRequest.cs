namespace Grokking.Landscape;

/// <summary>One curve to fit: its kind (polyline or Bézier), its fixed ends, and the seed of its t draws.</summary>
public sealed record FitRequest(PathKind Kind, WeightVector Start, WeightVector End, long Seed, string Label);
