using Grokking.Claims.Contracts;

namespace Grokking.Report;

/// <summary>The training minutes of one experiment and the claims that share its run.</summary>
internal sealed record ExperimentMinutes(string Experiment, double TrainMinutes, IReadOnlyList<string> ClaimIds)
{
    /// <summary>One row per trained experiment, in the order the claims first name it (companions included).</summary>
    /// <remarks>The longest of the claims' minutes is the run's: a claim served from the cache of an earlier process reports 0.</remarks>
    public static IReadOnlyList<ExperimentMinutes> Of(IReadOnlyList<ClaimOutcome> claims) =>
    [
        .. claims
            .SelectMany(o => o.RunMinutes.Select(r => (Experiment: r.Key, Minutes: r.Value, o.Id)))
            .GroupBy(x => x.Experiment)
            .Select(g => new ExperimentMinutes(g.Key, g.Max(x => x.Minutes), [.. g.Select(x => x.Id).Distinct()])),
    ];
}
