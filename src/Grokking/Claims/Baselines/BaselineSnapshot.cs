using System.Text.Json.Serialization;
using Grokking.Claims.Contracts;
using Grokking.Configuration;

namespace Grokking.Claims.Baselines;

/// <summary>
/// The part of a claim's outcome that is pinned by a baseline: the verdicts exactly (the claim's, its rule's before the
/// control bounded it, its control's, each decisive comparison's), the numbers within tolerance (the metrics with the
/// tolerance stored beside each; each comparison's estimate, interval and worst seed within the claim's baseline
/// tolerance, by the same rule), each widened to its seed noise (<see cref="SeedNoise"/>).
/// </summary>
public sealed record BaselineSnapshot(
    string Id, Profile Profile, Verdict Verdict, [property: JsonPropertyOrder(4)] IReadOnlyList<BaselineMetric> Metrics)
{
    /// <summary>The rule's verdict on the claim's data before its control bounded it (issue 25); unset, the verdict.</summary>
    [JsonPropertyOrder(1)]
    public Verdict RuleVerdict
    {
        get => ruleVerdict ?? Verdict;
        init => ruleVerdict = value;
    }

    private readonly Verdict? ruleVerdict;

    [JsonPropertyOrder(2)]
    public ClaimScope Scope { get; init; } = ClaimScope.Typical;

    /// <summary>The control's name and verdict; null when the claim has none or it did not run (undecidable, errors).</summary>
    [JsonPropertyOrder(3)]
    public BaselineControl? Control { get; init; }

    [JsonPropertyOrder(5)]
    public IReadOnlyList<PinnedComparison> Comparisons { get; init; } = [];

    /// <summary>
    /// The engine and day that made the outcome (provenance, never compared); null in files written before it was
    /// recorded. The report's agreement column shows it beside a committed verdict.
    /// </summary>
    [JsonPropertyOrder(6)]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public BaselineProvenance? Made { get; init; }

    /// <summary>
    /// The claim's baseline tolerance when the snapshot was made from an outcome (not written: the verified file keeps
    /// a tolerance per metric, and comparisons are compared with the tolerance of the claim as it is now).
    /// </summary>
    [JsonIgnore]
    public BaselineTolerance? Tolerance { get; init; }

    public static BaselineSnapshot From(ClaimOutcome outcome, BaselineTolerance tolerance) => new(
        outcome.Id,
        outcome.Profile,
        outcome.Verdict,
        outcome.Measured.Select(m => Pinned(m, tolerance)).ToList())
    {
        RuleVerdict = outcome.RuleVerdict,
        Scope = outcome.Scope,
        Control = outcome.Control is { } control ? new BaselineControl(control.Name, control.Verdict) : null,
        Comparisons = outcome.Comparisons.Select(c => PinnedComparison.Of(c) with
        {
            SeedSpread = BaselineMetric.SpreadOf(c.PerSeed),
            Seeds = BaselineMetric.CountOf(c.PerSeed),
        }).ToList(),
        Tolerance = tolerance,
        Made = BaselineProvenance.Now(),
    };

    /// <summary>
    /// A measured value with the claim's tolerance, and its seed spread and seed count recorded beside it: a comparison
    /// allows at least <see cref="SeedNoise.Allowance"/> of them (<see cref="BaselineStore.Diff"/>).
    /// </summary>
    private static BaselineMetric Pinned(MeasuredValue m, BaselineTolerance tolerance) =>
        new(m.Key, m.Name, m.Value, Allowed(m.Value, tolerance))
        {
            SeedSpread = BaselineMetric.SpreadOf(m.PerSeed),
            Seeds = BaselineMetric.CountOf(m.PerSeed),
        };

    /// <summary>
    /// max(absolute, relative x |value|); a missing (NaN) or infinite value only matches itself, so its tolerance is the
    /// absolute one.
    /// </summary>
    public static double Allowed(double value, BaselineTolerance tolerance) =>
        double.IsFinite(value) ? Math.Max(tolerance.Absolute, tolerance.Relative * Math.Abs(value)) : tolerance.Absolute;
}

/// <summary>A claim's negative control as its baseline pins it: which control, and the verdict the rule gave it.</summary>
public sealed record BaselineControl(string Name, Verdict Verdict);

/// <summary>
/// One decisive comparison as its baseline pins it (<see cref="Comparison"/> without the per-seed values and the
/// reason): <see cref="Relation"/> is "&lt;=" or "&gt;="; <see cref="Worst"/> is null for a typical comparison;
/// <see cref="Interval"/> names how the 95 % interval was made.
/// </summary>
public sealed record PinnedComparison(
    string Key,
    string Quantity,
    string Relation,
    double Threshold,
    ClaimScope Scope,
    double Estimate,
    double Low,
    double High,
    IntervalMethod Interval,
    double? Worst,
    double Resolution,
    Verdict Verdict,
    double ConfirmAt,
    double RefuteAt,
    int? SeedsNeeded)
{
    /// <summary>
    /// The standard deviation of the per-seed values: the numbers may move by <see cref="SeedNoise.Allowance"/> of it on
    /// another device (never the verdict). Null with fewer than two seeds, and in files made before it was recorded.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? SeedSpread { get; init; }

    /// <summary>How many seeds had a value (the count behind <see cref="SeedSpread"/>); null beside a null spread.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? Seeds { get; init; }

    public static PinnedComparison Of(Comparison c) => new(
        c.Key,
        c.Quantity,
        Relations.Symbol(c.Relation),
        c.Threshold,
        c.Scope,
        c.Estimate,
        c.Low,
        c.High,
        c.Method,
        c.Scope == ClaimScope.Universal ? c.Worst : null,
        c.Resolution,
        c.Verdict,
        c.Flip.ConfirmAt,
        c.Flip.RefuteAt,
        c.SeedsNeeded);
}
