using Grokking.Claims.Contracts;

namespace Grokking.Report;

/// <summary>
/// What the history keeps of one decisive comparison (report.json's <c>claims[].comparisons[]</c>, same names): the estimate
/// with its 95 % interval, the threshold it was held against and the comparison's verdict.
/// </summary>
public sealed record HistoryComparison(
    string Key,
    string Quantity,
    string Unit,
    Relation Relation,
    double Threshold,
    double Estimate,
    double Low,
    double High,
    Verdict Verdict)
{
    /// <summary>Whether the interval can bound anything: both ends finite, in order (one seed, or none, gives no interval).</summary>
    public bool HasInterval => double.IsFinite(Low) && double.IsFinite(High) && Low <= High;

    /// <summary>
    /// Whether <paramref name="value"/> lies outside this interval; without an interval, whether it differs from the estimate
    /// (a measured value where none was, or none where one was, counts as lying outside).
    /// </summary>
    public bool Excludes(double value) =>
        HasInterval
            ? double.IsNaN(value) || value < Low || value > High
            : !(value.Equals(Estimate));
}
