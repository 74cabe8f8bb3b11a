namespace Grokking.Landscape;

/// <summary>Fitted curves evaluated on their grid, with each fit's objective (loss + L2) averaged per epoch.</summary>
public sealed record CurveStudy(IReadOnlyList<PathEvaluation> Curves, IReadOnlyList<double[]> FitLossPerEpoch);
