using Grokking.Claims.Contracts;
namespace Grokking.Claims.Analyses;

/// <summary>
/// A per-seed finding: whether the effect held in that seed, or why the seed could not decide. A seed that
/// diverged is marked; its verdict is Refuted when the evidence it produced before diverging already refutes
/// the claim, else Inconclusive.
/// </summary>
public sealed record SeedFinding(long Seed, Verdict Verdict, string Reason, bool Diverged = false)
{
    /// <summary>What the finding is about when it is not one seed (a pair of seeds: "seeds 0-1").</summary>
    public string? Unit { get; init; }

    public string Subject => Unit ?? $"seed {Seed}";
}
