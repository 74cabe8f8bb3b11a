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
    /// <summary>
    /// The training minutes of the claim's experiments at paper on one lane: recorded by finished paper runs
    /// (baselines/paper/costs.json) when every experiment has a record, else projected (projected.paper); null when neither.
    /// </summary>
    public double? PaperMinutes { get; init; }

    /// <summary>True when <see cref="PaperMinutes"/> were recorded by finished runs, false when projected.</summary>
    public bool PaperMinutesRecorded { get; init; }

    /// <summary>True when both verdicts exist and are equal, false when they differ, null when one is missing.</summary>
    public bool? Agrees => Ci is { } ci && Paper is { } paper ? ci == paper : null;

    /// <summary>
    /// How the claim file declares the ci layer unable to reach the paper's verdict ("undecidable" or "out of regime"),
    /// with its measured reason in the file; null when it declares nothing. A differing verdict so declared is the
    /// answer issue 28 asks for (the defect measured and written down), not an unexplained disagreement.
    /// </summary>
    public string? CiDeclared { get; init; }

    public static IReadOnlyList<ProfileAgreement> Of(ClaimCatalog catalog, IEnumerable<string> ids, BaselineStore baselines)
    {
        var (costs, _) = Scheduling.RunCosts.Load(Scheduling.RunCosts.PathIn(baselines.Root, Profile.Paper), Profile.Paper);
        return [.. ids.Select(id => Of(catalog, catalog.Get(id), baselines, costs))];
    }

    private static ProfileAgreement Of(ClaimCatalog catalog, ClaimDefinition claim, BaselineStore baselines, Scheduling.RunCosts costs)
    {
        var (ci, ciMissing) = Read(baselines, Profile.Ci, claim.Id);
        var (paper, paperMissing) = Read(baselines, Profile.Paper, claim.Id);
        paperMissing = paper is null ? MissingBaseline.Reason(claim, catalog, baselines, Profile.Paper) ?? paperMissing : null;
        var recorded = claim.AllExperiments.Select(costs.TrainingSeconds).ToList();
        var projected = MissingBaseline.Projections(claim, catalog, Profile.Paper).Select(p => p?.CpuMinutes).ToList();
        bool isRecorded = recorded.All(s => s is not null);
        return new ProfileAgreement(claim.Id, ci?.Verdict, ciMissing, paper?.Verdict, paperMissing, paper?.Made)
        {
            PaperMinutes = isRecorded ? recorded.Sum(s => s!.Value) / 60 : projected.All(m => m is not null) ? projected.Sum(m => m!.Value) : null,
            PaperMinutesRecorded = isRecorded,
            CiDeclared = DeclarationAt(claim, Profile.Ci),
        };
    }

    private static string? DeclarationAt(ClaimDefinition claim, Profile profile) =>
        claim.UndecidableAt.ContainsKey(profile.Name) ? "undecidable"
        : claim.OutOfRegimeAt.ContainsKey(profile.Name) ? "out of regime"
        : null;

    /// <summary>The committed snapshot, or why there is none (absent, or damaged: named, never read as a verdict).</summary>
    internal static (BaselineSnapshot? Snapshot, string? Missing) Read(BaselineStore baselines, Profile profile, string id)
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
