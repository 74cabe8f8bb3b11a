using Grokking.Claims.Contracts;

namespace Grokking.Claims.Analyses;

/// <summary>
/// What an analysis concluded: the verdict and why, the measured values beside the paper's, the figures, and the
/// decisive comparisons (each thresholded quantity with its interval, scope and flip point) the verdict came from.
/// </summary>
public sealed record AnalysisResult(Verdict Verdict, string Reason, IReadOnlyList<MeasuredValue> Measured, IReadOnlyList<ClaimFigure> Figures)
{
    public IReadOnlyList<Comparison> Comparisons { get; init; } = [];
}
