using System.Globalization;
using Grokking.Claims.Baselines;
using Grokking.Claims.Contracts;
using Grokking.Configuration;

namespace Grokking.Claims;

/// <summary>
/// Why a claim has no accepted outcome at the paper profile, whose baselines are made by finished runs of the papers'
/// setups: not yet run, or needing a GPU, with the minutes its experiments are projected to train on one CPU core
/// (projected.paper in their files, from 'grokking verify --plan --record'). The smoke and ci baselines are required: a
/// missing one is a failure there, never a reason.
/// </summary>
public static class MissingBaseline
{
    /// <summary>A day of one core: longer runs wait for a GPU (the PG sweep's hundreds of CPU-hours do).</summary>
    public const double CpuAffordableMinutes = 24 * 60;

    /// <summary>The recorded projection of each of the claim's experiments at the profile (null where none was recorded).</summary>
    public static IReadOnlyList<ProjectedCost?> Projections(ClaimDefinition claim, ClaimCatalog catalog, Profile profile) =>
        [.. claim.AllExperiments.Select(e => catalog.Experiments[e].Projected.GetValueOrDefault(profile.Name))];

    /// <summary>The reason, or null when the baseline exists or the profile requires one.</summary>
    public static string? Reason(ClaimDefinition claim, ClaimCatalog catalog, BaselineStore baselines, Profile profile)
    {
        if (profile != Profile.Paper || File.Exists(baselines.VerifiedPath(profile, claim.Id)))
        {
            return null;
        }

        var experiments = claim.AllExperiments.ToList();
        var projected = Projections(claim, catalog, profile);
        if (experiments.Select(e => catalog.Experiments[e].DataOrBase).FirstOrDefault(d => d is { UserSupplied: true }) is { } data)
        {
            // Nothing here can run or even time them: the data are the user's to bring.
            return $"no {profile.Name} baseline yet (needs data the user brings: {data.Key}; see the claim's experiment file)";
        }

        if (projected.Any(p => p is null))
        {
            return $"no {profile.Name} baseline yet (not yet run; no projected cost recorded: "
                + $"grokking verify --plan --record --profile {profile.Name})";
        }

        double minutes = projected.Sum(p => p!.CpuMinutes);
        var latest = projected.MaxBy(p => p!.Measured, StringComparer.Ordinal)!;
        string cost = string.Create(
            CultureInfo.InvariantCulture,
            $"{string.Join(" + ", experiments)} training projected {minutes / 60:0.0} CPU-hours on {latest.Device}, measured {latest.Measured}");
        return minutes > CpuAffordableMinutes
            ? $"no {profile.Name} baseline yet (needs a GPU: {cost})"
            : $"no {profile.Name} baseline yet (not yet run: {cost})";
    }
}
