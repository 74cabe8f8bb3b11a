using Grokking.Configuration;

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
    /// <summary>Members of the claim that diverged (a finding, shown in the report).</summary>
    public IReadOnlyList<SeedDivergence> Divergences { get; init; } = [];

    /// <summary>What the profile changed from the paper setup, e.g. "Data:Modulus: 97 -> 59".</summary>
    public IReadOnlyList<string> ProfileChanges { get; init; } = [];

    /// <summary>Minutes the claim's runs took to train, together (0 when served from the cache of an earlier process).</summary>
    public double TrainMinutes { get; init; }

    /// <summary>Training minutes per experiment the claim read (its own, then its companions); empty for error outcomes.</summary>
    public IReadOnlyList<KeyValuePair<string, double>> RunMinutes { get; init; } = [];
}
