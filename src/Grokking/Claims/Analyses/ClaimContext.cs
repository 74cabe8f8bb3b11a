using Grokking.Claims.Contracts;
using Grokking.Training;

namespace Grokking.Claims.Analyses;

/// <summary>
/// Everything an analysis may read: the claim, the result of its experiment's run (and the run's directory, for
/// checkpoints), the profile, and where to put figures.
/// </summary>
public sealed record ClaimContext(ClaimDefinition Claim, TrainingResult Result, string RunDirectory, string Profile, string ReportDirectory)
{
    /// <summary>The members of the run this claim reads (its member filter and seeds).</summary>
    public IReadOnlyList<MemberSpec> Members => Result.Members
        .Where(m => Claim.Members.Matches(m) && Claim.ReadsSeed(m.Seed))
        .ToList();

    /// <summary>Figure files go to figures/&lt;ID&gt;-name.png under the report directory; returns (directory, name).</summary>
    public (string Directory, string Name) Figure(string name) =>
        (Path.Combine(ReportDirectory, "figures"), $"{Claim.Id}-{name}");
}
