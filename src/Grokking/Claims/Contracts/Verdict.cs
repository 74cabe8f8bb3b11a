namespace Grokking.Claims.Contracts;

/// <summary>
/// What verifying a claim came to. The first three are verdicts of its rule; the last two say that the claim got none,
/// each with its own count in the report, so neither can be read as a verdict (nor folded into INCONCLUSIVE).
/// </summary>
public enum Verdict
{
    /// <summary>The measured effect holds within the claim's tolerance.</summary>
    Confirmed,

    /// <summary>The experiment ran to completion and the effect does not hold.</summary>
    Refuted,

    /// <summary>The experiment could not decide: a required event never came within the budget, divergence, too few seeds.</summary>
    Inconclusive,

    /// <summary>Not a verdict: the claim's run or analysis failed (reason: the error in one line; verify exits 1).</summary>
    Error,

    /// <summary>
    /// Not a verdict: the data its experiment reads are not on this machine and could not be obtained (reason: what is
    /// missing; <see cref="ClaimOutcome.Fix"/>: the command that installs them). Nothing was trained; the claim test is skipped.
    /// </summary>
    DataMissing,
}
