namespace Grokking.Claims.Contracts;

public enum Verdict
{
    /// <summary>The measured effect holds within the claim's tolerance.</summary>
    Confirmed,

    /// <summary>The experiment ran to completion and the effect does not hold.</summary>
    Refuted,

    /// <summary>The experiment could not decide: a required event never came within the budget, divergence, too few seeds.</summary>
    Inconclusive,
}
