using Grokking.Claims.Scheduling;
using Grokking.Configuration;

namespace Grokking.Tests.Unit.Claims.Scheduling;

public class LanePlanTests
{
    internal static RunCosts Costs(IEnumerable<(string Name, double Seconds)> experiments, IEnumerable<(string Id, double Seconds)>? claims = null)
    {
        var day = new DateOnly(2026, 12, 5);
        return new RunCosts(
            "ci",
            "test",
            experiments.ToDictionary(e => e.Name, e => new RecordedCost(e.Seconds, "engine-test", day)),
            (claims ?? []).ToDictionary(c => c.Id, c => new RecordedCost(c.Seconds, "engine-test", day)));
    }

    [Fact]
    public void Runs_go_longest_first_and_unknown_ones_after_them_in_catalog_order()
    {
        var costs = Costs([("a", 10), ("b", 30), ("d", 20), ("e", 30)]);

        var order = LanePlan.Order(["x", "a", "b", "y", "d", "e"], costs);

        order.Should().Equal("b", "e", "d", "a", "x", "y");
    }

    [Fact]
    public void Without_recorded_costs_the_order_is_the_catalogs()
    {
        LanePlan.Order(["c", "a", "b"], RunCosts.None(Profile.Ci)).Should().Equal("c", "a", "b");
    }

    [Fact]
    public void Each_run_goes_to_the_lane_that_is_free_first()
    {
        // The cold ci suite's runs (minutes): the longest first, each lane taking the next when it is free.
        var costs = Costs([("mc1", 13.4), ("mc2", 15.0), ("pb1", 13.8), ("pb2", 36.5), ("pb3", 8.2), ("og1", 2.6), ("og2", 6.8), ("og3", 20.7), ("pg", 17.2)]);

        var plan = LanePlan.Of(["mc1", "mc2", "pb1", "pb2", "pb3", "og1", "og2", "og3", "pg"], costs, lanes: 2);

        plan.Runs.Select(r => r.Experiment).Should().Equal("pb2", "og3", "pg", "mc2", "pb1", "mc1", "pb3", "og2", "og1");
        plan.Runs.Where(r => r.Lane == 0).Select(r => r.Experiment).Should().Equal("pb2", "mc2", "mc1", "og1");
        plan.Makespan.Should().BeApproximately(36.5 + 15.0 + 13.4 + 2.6, 1e-9);
        plan.Runs.Should().AllSatisfy(r => r.Finish.Should().BeApproximately(r.Start + r.Seconds!.Value, 1e-9));
        plan.ReadyAt(["mc1", "og3"]).Should().BeApproximately(36.5 + 15.0 + 13.4, 1e-9);
    }

    [Fact]
    public void Claims_are_ordered_by_when_their_runs_are_predicted_ready_ties_in_catalog_order()
    {
        var plan = LanePlan.Of(["long", "short"], Costs([("long", 100), ("short", 10)]), lanes: 2);
        (string Id, string[] Runs)[] claims = [("A", ["long"]), ("B", ["short"]), ("C", []), ("D", ["short", "long"]), ("E", ["short"])];

        var order = plan.ByReadiness(claims, c => c.Runs).Select(c => c.Id);

        order.Should().Equal("C", "B", "E", "A", "D");
    }
}
