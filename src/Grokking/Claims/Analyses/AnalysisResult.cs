using Grokking.Claims.Contracts;

namespace Grokking.Claims.Analyses;

public sealed record AnalysisResult(Verdict Verdict, string Reason, IReadOnlyList<MeasuredValue> Measured, IReadOnlyList<ClaimFigure> Figures);
