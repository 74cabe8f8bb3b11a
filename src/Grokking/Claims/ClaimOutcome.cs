namespace Grokking.Claims;

public enum Verdict
{
    /// <summary>The measured effect holds within the claim's tolerance.</summary>
    Confirmed,

    /// <summary>The experiment ran to completion and the effect does not hold.</summary>
    Refuted,

    /// <summary>The experiment could not decide: a required event never came within the budget, divergence, too few seeds.</summary>
    Inconclusive,
}

/// <summary>
/// One measured number beside the paper's, with the tolerance the decision used. <c>Key</c> is its stable
/// identity (baselines match on it); <c>Name</c> is the label people read.
/// </summary>
public sealed record MeasuredValue(
    string Name,
    double Value,
    string Unit = "",
    double? Paper = null,
    string? Tolerance = null,
    IReadOnlyList<double>? PerSeed = null,
    string Key = "")
{
    public string Key { get; init; } = Key.Length > 0 ? Key : throw new ArgumentException($"measured value '{Name}' needs a stable key", nameof(Key));
}

/// <summary>A member of a claim's run that diverged: which seed, which member, and when.</summary>
public sealed record SeedDivergence(long Seed, string Member, long Step, double Epoch);

/// <summary>A figure produced for a claim (paths relative to the report directory).</summary>
public sealed record ClaimFigure(string Title, string PngPath, string? SvgPath);

/// <summary>What a claim's analysis concluded.</summary>
public sealed record ClaimOutcome(
    string Id,
    string Title,
    string Statement,
    string Source,
    Verdict Verdict,
    string Reason,
    IReadOnlyList<MeasuredValue> Measured,
    IReadOnlyList<long> Seeds,
    string SeedCombination,
    string Profile,
    string Experiment,
    IReadOnlyList<string> Choices,
    IReadOnlyList<ClaimFigure> Figures,
    double Seconds)
{
    /// <summary>Members of the claim that diverged (a finding, shown in the report).</summary>
    public IReadOnlyList<SeedDivergence> Divergences { get; init; } = [];

    /// <summary>What the profile changed from the paper setup, e.g. "Data:Modulus: 97 -> 59".</summary>
    public IReadOnlyList<string> ProfileChanges { get; init; } = [];

    /// <summary>Minutes the experiment's run took to train (0 when served from the cache of an earlier process).</summary>
    public double TrainMinutes { get; init; }
}
