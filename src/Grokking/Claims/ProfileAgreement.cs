using Grokking.Claims.Baselines;
using Grokking.Claims.Contracts;
using Grokking.Configuration;
using Grokking.Runtime;

namespace Grokking.Claims;

/// <summary>
/// One claim's committed verdicts at ci and at paper side by side (issue 28): the ci layer exists to reach the paper
/// setup's verdict on two cores, so a disagreement is a defect of that layer. Read from baselines/ci and baselines/paper,
/// not from this run, so every report shows the same table whatever profile it ran.
/// </summary>
/// <param name="Ci">The committed ci verdict; null when none can be read (<paramref name="CiMissing"/> says why).</param>
/// <param name="Paper">The committed paper verdict; null when none exists yet (<paramref name="PaperMissing"/> says why).</param>
/// <param name="PaperMade">The engine and day that made the paper baseline; null when its file predates provenance.</param>
public sealed record ProfileAgreement(
    string Id, Verdict? Ci, string? CiMissing, Verdict? Paper, string? PaperMissing, BaselineProvenance? PaperMade)
{
    /// <summary>True when both verdicts exist and are equal, false when they differ, null when one is missing.</summary>
    public bool? Agrees => Ci is { } ci && Paper is { } paper ? ci == paper : null;

    public static IReadOnlyList<ProfileAgreement> Of(ClaimCatalog catalog, IEnumerable<string> ids, BaselineStore baselines) =>
        [.. ids.Select(id => Of(catalog, catalog.Get(id), baselines))];

    private static ProfileAgreement Of(ClaimCatalog catalog, ClaimDefinition claim, BaselineStore baselines)
    {
        var (ci, ciMissing) = Read(baselines, Profile.Ci, claim.Id);
        var (paper, paperMissing) = Read(baselines, Profile.Paper, claim.Id);
        paperMissing = paper is null ? MissingBaseline.Reason(claim, catalog, baselines, Profile.Paper) ?? paperMissing : null;
        return new ProfileAgreement(claim.Id, ci?.Verdict, ciMissing, paper?.Verdict, paperMissing, paper?.Made);
    }

    /// <summary>The committed snapshot, or why there is none (absent, or damaged: named, never read as a verdict).</summary>
    private static (BaselineSnapshot? Snapshot, string? Missing) Read(BaselineStore baselines, Profile profile, string id)
    {
        if (!File.Exists(baselines.VerifiedPath(profile, id)))
        {
            return (null, $"no {profile.Name} baseline");
        }

        try
        {
            return (baselines.ReadVerified(profile, id), null);
        }
        catch (DamagedFileException e)
        {
            return (null, $"damaged {profile.Name} baseline: {e.Message}");
        }
    }
}
