using Grokking.Claims.Contracts;

namespace Grokking.Report;

/// <summary>The training minutes of one experiment and the claims that share its run.</summary>
internal sealed record ExperimentMinutes(string Experiment, double TrainMinutes, IReadOnlyList<string> ClaimIds)
{
    /// <summary>One row per experiment, in the order the claims first name it.</summary>
    /// <remarks>
    /// An outcome's experiment reads "name (run key; ...)", so its first word names the run. The longest of the
    /// claims' minutes is the run's: a claim served from the cache of an earlier process reports 0.
    /// </remarks>
    public static IReadOnlyList<ExperimentMinutes> Of(IReadOnlyList<ClaimOutcome> claims) =>
    [
        .. claims
            .GroupBy(o => o.Experiment.Split(' ')[0])
            .Select(g => new ExperimentMinutes(g.Key, g.Max(o => o.TrainMinutes), [.. g.Select(o => o.Id)])),
    ];
}
