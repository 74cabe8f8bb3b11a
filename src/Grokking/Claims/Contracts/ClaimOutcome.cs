using Grokking.Configuration;
using Grokking.Training;

namespace Grokking.Claims.Contracts;

/// <summary>What a claim's analysis concluded.</summary>
public sealed record ClaimOutcome(
    string Id,
    string Title,
    string Statement,
    ClaimSource Source,
    Verdict Verdict,
    string Reason,
    IReadOnlyList<MeasuredValue> Measured,
    IReadOnlyList<long> Seeds,
    string SeedCombination,
    Profile Profile,
    string Experiment,
    IReadOnlyList<string> Choices,
    IReadOnlyList<ClaimFigure> Figures,
    double Seconds)
{
    /// <summary>The one command that installs the data a <see cref="Verdict.DataMissing"/> claim needs; null otherwise.</summary>
    public string? Fix { get; init; }

    /// <summary>Universal or typical (from the claim file).</summary>
    public ClaimScope Scope { get; init; } = ClaimScope.Typical;

    /// <summary>The decisive comparisons the verdict came from, each with its interval and flip point.</summary>
    public IReadOnlyList<Comparison> Comparisons { get; init; } = [];

    /// <summary>The rule's verdict on its negative control; null when none ran (errors, undecidable profiles).</summary>
    public ControlOutcome? Control { get; init; }

    /// <summary>
    /// The rule's verdict on the claim's data before its control was applied: it differs from <see cref="Verdict"/> only
    /// when the control came out CONFIRMED (the rule cannot discriminate, so the claim is INCONCLUSIVE). Unset, it follows
    /// <see cref="Verdict"/>, also through <c>with { Verdict = ... }</c> (a copied default would keep the old verdict).
    /// </summary>
    public Verdict RuleVerdict
    {
        get => ruleVerdict ?? Verdict;
        init => ruleVerdict = value;
    }

    private readonly Verdict? ruleVerdict;

    /// <summary>Members of the claim that diverged (a finding, shown in the report).</summary>
    public IReadOnlyList<SeedDivergence> Divergences { get; init; } = [];

    /// <summary>What the profile changed from the paper setup, e.g. "Data:Modulus: 97 -> 59".</summary>
    public IReadOnlyList<string> ProfileChanges { get; init; } = [];

    /// <summary>Minutes the claim's runs took to train, together (0 when served from the cache of an earlier process).</summary>
    public double TrainMinutes { get; init; }

    /// <summary>
    /// Seconds the claim's analysis and control computed, waiting for its runs excluded (<see cref="Seconds"/> includes the
    /// wait): the claim's recorded cost (Claims.Scheduling.RunCosts); 0 when nothing was analysed.
    /// </summary>
    public double AnalysisSeconds { get; init; }

    /// <summary>Training minutes per experiment the claim read (its own, then its companions); empty for error outcomes.</summary>
    public IReadOnlyList<KeyValuePair<string, double>> RunMinutes { get; init; } = [];

    /// <summary>
    /// The experiments of <see cref="RunMinutes"/> this verify read from the run cache rather than trained: their minutes
    /// are the ones recorded when they were trained (Scheduling.RecordedCost.FromCache). Not part of the report.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public IReadOnlyList<string> CachedRuns { get; init; } = [];

    /// <summary>
    /// Damaged cache entries of the claim's runs (a run directory, a landscape file) that were moved aside and recomputed
    /// before the claim read them: the verdict rests on the recomputed data, and the report says so.
    /// </summary>
    public IReadOnlyList<CacheRecovery> Recovered { get; init; } = [];
}
