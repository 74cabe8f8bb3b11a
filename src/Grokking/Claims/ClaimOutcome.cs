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

/// <summary>One measured number beside the paper's, with the tolerance the decision used.</summary>
public sealed record MeasuredValue(
    string Name,
    double Value,
    string Unit = "",
    double? Paper = null,
    string? Tolerance = null,
    IReadOnlyList<double>? PerSeed = null);

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
    double Seconds);
