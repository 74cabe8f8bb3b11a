namespace Grokking.Landscape;

/// <summary>
/// One curve to fit: its kind (polyline or Bézier), its fixed ends, the seed of its t draws, and its budget in epochs
/// (fits of one population may differ: each stops moving its bend when its own budget is spent).
/// </summary>
public sealed record FitRequest(PathKind Kind, WeightVector Start, WeightVector End, long Seed, string Label, int Epochs);
