namespace Grokking.Claims.Contracts;

/// <summary>
/// One decisive comparison of a measured quantity with the rule's threshold (issue 25): the per-seed values, their 95 %
/// interval, the scope that decides how they are read, the verdict of this comparison, its flip point, and (typical
/// claims within noise) how many seeds would decide it at the observed spread. <see cref="Worst"/> is the deciding value
/// of a universal claim (the seed furthest on the failing side). Built by the toolkit's <c>Thresholds</c>.
/// </summary>
public sealed record Comparison(
    string Key,
    string Quantity,
    string Unit,
    Relation Relation,
    double Threshold,
    ClaimScope Scope,
    IReadOnlyList<double> PerSeed,
    double Estimate,
    double Low,
    double High,
    IntervalMethod Method,
    double Resolution,
    Verdict Verdict,
    string Reason,
    FlipPoint Flip)
{
    /// <summary>Universal claims: the value of the seed furthest on the failing side; NaN for typical ones.</summary>
    public double Worst { get; init; } = double.NaN;

    /// <summary>Typical claims within noise: seeds that would decide at the observed spread (null: none would, or decided).</summary>
    public int? SeedsNeeded { get; init; }

    /// <summary>The rule in one line: "validation accuracy at point 1 &lt;= 0.1 (typical)".</summary>
    public string Rule =>
        $"{Quantity} {Relations.Symbol(Relation)} {FlipPoint.Number(Threshold)}"
        + $"{(Unit.Length == 0 ? "" : " " + Unit)} ({ScopeDeclaration.NameOf(Scope)})";
}
