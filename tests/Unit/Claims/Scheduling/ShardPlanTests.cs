using System.Text.Json.Nodes;
using Grokking.Claims;
using Grokking.Claims.Scheduling;
using Grokking.Configuration;

namespace Grokking.Tests.Unit.Claims.Scheduling;

public class ShardPlanTests
{
    private static ShardableClaim Claim(string id, params string[] experiments) => new(id, experiments, Trains: true);

    private static ShardPlan Plan(IReadOnlyList<ShardableClaim> claims, Dictionary<string, double> seconds, int count, Dictionary<string, double>? analysis = null) =>
        ShardPlan.Of(
            claims,
            e => seconds.TryGetValue(e, out double s) ? s : null,
            c => analysis is not null && analysis.TryGetValue(c, out double s) ? s : null,
            count);

    [Fact]
    public void A_claim_reading_two_experiments_pins_them_and_every_claim_reading_either_to_one_shard()
    {
        // A reads a; B reads b and c; C reads a and b (joining the first two groups); D reads d alone.
        var claims = new[] { Claim("A", "a"), Claim("B", "b", "c"), Claim("C", "a", "b"), Claim("D", "d") };

        var plan = Plan(claims, new() { ["a"] = 1, ["b"] = 1, ["c"] = 1, ["d"] = 1 }, count: 2);

        plan.Shards.Select(s => s.Claims).Should().BeEquivalentTo(new[] { new[] { "A", "B", "C" }, new[] { "D" } }, o => o.WithStrictOrdering());
        plan.Shard(1).Experiments.Should().Equal("a", "b", "c");
        plan.Shard(1).Seconds.Should().Be(3);
    }

    [Fact]
    public void Groups_go_longest_first_into_the_lightest_shard()
    {
        // Groups of 10, 8, 6, 5 and 4 s on two shards, by hand: 10 -> 1; 8 -> 2; 6 -> 2 (8 < 10); 5 -> 1 (10 < 14); 4 -> 2 (14 < 15).
        var claims = new[] { Claim("E", "e"), Claim("C", "c"), Claim("A", "a"), Claim("D", "d"), Claim("B", "b") };
        var seconds = new Dictionary<string, double> { ["a"] = 10, ["b"] = 8, ["c"] = 6, ["d"] = 5, ["e"] = 4 };

        var plan = Plan(claims, seconds, count: 2);

        plan.Shard(1).Groups.Select(g => g.Claims[0]).Should().Equal("A", "D");
        plan.Shard(2).Groups.Select(g => g.Claims[0]).Should().Equal("B", "C", "E");
        plan.Shards.Select(s => s.Seconds).Should().Equal(15, 18);
        plan.Shard(2).Claims.Should().Equal("E", "C", "B");  // catalog order within the shard
    }

    [Fact]
    public void A_claims_analysis_seconds_count_and_an_analysis_that_trains_nothing_costs_no_training()
    {
        var claims = new[] { Claim("A", "a"), new ShardableClaim("P", ["p1", "p2"], Trains: false), Claim("B", "b") };
        var seconds = new Dictionary<string, double> { ["a"] = 5, ["b"] = 4, ["p1"] = 100, ["p2"] = 100 };

        var plan = Plan(claims, seconds, count: 2, analysis: new() { ["B"] = 2, ["P"] = 0.5 });

        var groups = plan.Shards.SelectMany(s => s.Groups).ToDictionary(g => g.Claims[0], g => g.Seconds);
        groups.Should().Equal(new Dictionary<string, double> { ["A"] = 5, ["B"] = 6, ["P"] = 0.5 });
        plan.Shard(1).Claims.Should().Equal("B");
        plan.Shard(2).Claims.Should().Equal("A", "P");
    }

    [Fact]
    public void Groups_of_unknown_cost_spread_over_the_shards_instead_of_piling_on_the_first()
    {
        var claims = Enumerable.Range(0, 7).Select(i => Claim($"C{i}", $"e{i}")).ToList();

        var plan = Plan(claims, [], count: 3);

        plan.Shards.Select(s => s.Claims).Should().BeEquivalentTo(
            new[] { new[] { "C0", "C3", "C6" }, new[] { "C1", "C4" }, new[] { "C2", "C5" } }, o => o.WithStrictOrdering());
        plan.Shard(1).Groups.SelectMany(g => g.Unknown).Should().Equal("e0", "C0", "e3", "C3", "e6", "C6");
        ShardPlan.Line(plan.Shard(2)).Should().Be(
            "shard 2/3: 0.0 s of committed cost (C1, C4; experiments e1, e4; no committed cost for e1, C1, e4, C4)");
    }

    [Fact]
    public void More_shards_than_groups_leave_shards_empty_and_every_claim_still_in_exactly_one()
    {
        var plan = Plan([Claim("A", "a"), Claim("B", "a")], new() { ["a"] = 3 }, count: 3);

        plan.Shards.Select(s => s.Claims.Count).Should().Equal(2, 0, 0);
        ShardPlan.Line(plan.Shard(3)).Should().Be("shard 3/3: 0.0 s of committed cost (no claims)");
    }

    [Theory]
    [InlineData("smoke", 3)]
    [InlineData("ci", 2)]
    [InlineData("ci", 5)]
    [InlineData("paper", 4)]
    public void The_catalogs_plan_partitions_the_claims_and_keeps_each_experiment_on_one_shard(string profileName, int count)
    {
        var (catalog, costs, profile) = Committed(profileName);

        var plan = ShardPlan.For(catalog, catalog.Claims, costs, profile, count);

        plan.Shards.SelectMany(s => s.Claims).Should().BeEquivalentTo(catalog.Claims.Select(c => c.Id)).And.OnlyHaveUniqueItems();
        plan.Shards.SelectMany(s => s.Experiments).Should().OnlyHaveUniqueItems();
        foreach (var shard in plan.Shards)
        {
            catalog.Claims.Where(c => shard.Claims.Contains(c.Id)).SelectMany(c => c.AllExperiments).Should().BeSubsetOf(shard.Experiments);
        }

        // Computed twice from the same files, the plan is the same: what lets shards on different machines agree.
        ShardPlan.For(catalog, catalog.Claims, costs, profile, count).Shards.Select(s => s.Claims)
            .Should().BeEquivalentTo(plan.Shards.Select(s => s.Claims), o => o.WithStrictOrdering());
    }

    [Fact]
    public void Without_a_recorded_cost_an_experiment_costs_its_projected_minutes_from_its_file()
    {
        var (catalog, _, _) = Committed("paper");
        string root = RepositoryLocator.Find();

        var plan = ShardPlan.For(catalog, catalog.Claims, RunCosts.None(Profile.Paper), Profile.Paper, 1);

        // The projected minutes read from the experiment files independently of the catalog's reader.
        var group = plan.Shard(1).Groups.Single(g => g.Claims.Contains("OG-4"));
        double expected = group.Experiments
            .Select(e => JsonNode.Parse(File.ReadAllText(Path.Combine(root, "claims", "experiments", e + ".json")))!["projected"]?["paper"]?["cpuMinutes"])
            .Sum(m => m is null ? 0 : m.GetValue<double>() * 60);
        expected.Should().BePositive();
        group.Seconds.Should().BeApproximately(expected, 1e-9);
    }

    private static (ClaimCatalog Catalog, RunCosts Costs, Profile Profile) Committed(string profileName)
    {
        string root = RepositoryLocator.Find();
        ProfileNames.TryParse(profileName, out var profile).Should().BeTrue();
        var catalog = ClaimCatalog.Load(Path.Combine(root, "claims"));
        var (costs, _) = RunCosts.Load(RunCosts.PathIn(Path.Combine(root, "baselines"), profile), profile);
        return (catalog, costs, profile);
    }
}
