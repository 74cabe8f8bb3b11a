using System.Globalization;
using Grokking.Claims.Analyses;
using Grokking.Claims.Contracts;
using Grokking.Configuration;

namespace Grokking.Claims.Scheduling;

/// <summary>
/// How 'grokking verify --shard i/n' splits a selection of claims over n machines. The plan is a function of committed
/// files only — the catalog, baselines/&lt;profile&gt;/costs.json and the experiment files' projected minutes, never a live
/// measurement — so every shard, on whatever machine, computes the same plan and the shards' claims are disjoint and
/// cover the selection. Claims are grouped by the experiments they read (<see cref="ExperimentGroup"/>), and the groups
/// go longest first into the lightest shard (LPT).
/// </summary>
public sealed class ShardPlan
{
    private ShardPlan(IReadOnlyList<PlannedShard> shards) => Shards = shards;

    /// <summary>The shards, index 1 first.</summary>
    public IReadOnlyList<PlannedShard> Shards { get; }

    /// <summary>Shard <paramref name="index"/> (1-based).</summary>
    public PlannedShard Shard(int index) => Shards[index - 1];

    /// <summary>
    /// The plan of <paramref name="selection"/> (catalog order) at <paramref name="profile"/>: an experiment costs its
    /// recorded training seconds, else its projected minutes at the profile (<c>projected.&lt;profile&gt;</c>), else nothing;
    /// a claim its recorded analysis seconds.
    /// </summary>
    public static ShardPlan For(ClaimCatalog catalog, IReadOnlyList<ClaimDefinition> selection, RunCosts costs, Profile profile, int count)
    {
        var claims = selection
            .Select(c => new ShardableClaim(c.Id, [.. c.AllExperiments], AnalysisRegistry.Get(c.Analysis).Trains))
            .ToList();
        return Of(
            claims,
            e => costs.TrainingSeconds(e) ?? catalog.Experiments[e].Projected.GetValueOrDefault(profile.Name)?.CpuMinutes * 60,
            costs.AnalysisSeconds,
            count);
    }

    /// <summary>The plan of <paramref name="claims"/> (catalog order) on <paramref name="count"/> shards (at least one).</summary>
    /// <param name="experimentSeconds">An experiment's committed training seconds; null when unknown.</param>
    /// <param name="claimSeconds">A claim's committed analysis seconds; null when unknown.</param>
    public static ShardPlan Of(
        IReadOnlyList<ShardableClaim> claims, Func<string, double?> experimentSeconds, Func<string, double?> claimSeconds, int count)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        var groups = Groups(claims, experimentSeconds, claimSeconds);
        var held = Enumerable.Range(0, count).Select(_ => new List<ExperimentGroup>()).ToArray();
        var load = new double[count];

        // Longest first, ties in catalog order; each into the lightest shard, ties to the one holding fewer groups (so
        // groups of unknown cost spread out instead of piling onto shard 1), then the lowest index.
        foreach (var group in groups.OrderByDescending(g => g.Seconds).ThenBy(g => g.First))
        {
            int target = Enumerable.Range(0, count).OrderBy(i => load[i]).ThenBy(i => held[i].Count).ThenBy(i => i).First();
            held[target].Add(group);
            load[target] += group.Seconds;
        }

        var place = claims.Select((c, i) => (c.Id, i)).ToDictionary(x => x.Id, x => x.i, StringComparer.Ordinal);
        return new ShardPlan(
        [
            .. held.Select((g, i) => new PlannedShard(i + 1, count, g, [.. g.SelectMany(x => x.Claims).OrderBy(id => place[id])])),
        ]);
    }

    /// <summary>
    /// The connected components of the claims-reads-experiment graph, in catalog order of their first claims: the
    /// experiments of one claim are joined (union-find), and every claim goes with its experiments.
    /// </summary>
    private static List<ExperimentGroup> Groups(
        IReadOnlyList<ShardableClaim> claims, Func<string, double?> experimentSeconds, Func<string, double?> claimSeconds)
    {
        var parent = new Dictionary<string, string>(StringComparer.Ordinal);
        string Find(string e)
        {
            parent.TryAdd(e, e);
            while (parent[e] != e)
            {
                e = parent[e] = parent[parent[e]];
            }

            return e;
        }

        foreach (var claim in claims)
        {
            foreach (string e in claim.Experiments.Skip(1))
            {
                parent[Find(e)] = Find(claim.Experiments[0]);
            }
        }

        return
        [
            .. claims
                .Select((claim, index) => (Claim: claim, Index: index))
                .GroupBy(c => c.Claim.Experiments.Count == 0 ? "claim:" + c.Claim.Id : Find(c.Claim.Experiments[0]), StringComparer.Ordinal)
                .Select(g => Group([.. g.Select(c => c.Claim)], g.First().Index, experimentSeconds, claimSeconds))
                .OrderBy(g => g.First),
        ];
    }

    private static ExperimentGroup Group(
        List<ShardableClaim> claims, int first, Func<string, double?> experimentSeconds, Func<string, double?> claimSeconds)
    {
        var experiments = claims.SelectMany(c => c.Experiments).Distinct(StringComparer.Ordinal).ToList();
        var trained = claims.Where(c => c.Trains).SelectMany(c => c.Experiments).Distinct(StringComparer.Ordinal).ToList();
        double seconds = trained.Sum(e => experimentSeconds(e) ?? 0) + claims.Sum(c => claimSeconds(c.Id) ?? 0);
        var unknown = trained.Where(e => experimentSeconds(e) is null).Concat(claims.Where(c => claimSeconds(c.Id) is null).Select(c => c.Id));
        return new ExperimentGroup([.. claims.Select(c => c.Id)], experiments, seconds, [.. unknown], first);
    }

    /// <summary>
    /// One line per shard: "shard 2/3: 38.0 s committed (OG-1, PB-5; experiments og-lu, pb-layernorm)", and which costs
    /// were unknown.
    /// </summary>
    public IEnumerable<string> Lines() => Shards.Select(Line);

    public static string Line(PlannedShard shard)
    {
        string unknown = shard.Groups.SelectMany(g => g.Unknown).ToList() is { Count: > 0 } u
            ? $"; no committed cost for {string.Join(", ", u)}"
            : "";
        string claims = shard.Claims.Count == 0 ? "no claims" : string.Join(", ", shard.Claims);
        string experiments = shard.Experiments.Count == 0 ? "" : $"; experiments {string.Join(", ", shard.Experiments)}";
        return string.Create(
            CultureInfo.InvariantCulture, $"shard {shard.Name}: {shard.Seconds:0.0} s of committed cost ({claims}{experiments}{unknown})");
    }
}
