using Grokking.Claims;
using Grokking.Claims.Scheduling;
using Grokking.Configuration;
using Grokking.Tests.Unit.Engine;
using static Grokking.Tests.Unit.Claims.Scheduling.LanePlanTests;

namespace Grokking.Tests.Unit.Claims.Scheduling;

public class SuiteProjectionTests
{
    /// <summary>The most pieces of work the timeline has going on at once.</summary>
    private static int MostBusy(SuiteProjection projection) =>
        projection.Timeline
            .Where(s => s.Finish > s.Start)
            .Select(s => projection.Timeline.Count(o => o.Start <= s.Start && o.Finish > s.Start))
            .DefaultIfEmpty(0)
            .Max();

    [Fact]
    public void Two_lanes_train_while_the_foreground_waits_without_a_core_then_analyses_on_one()
    {
        var costs = Costs([("long", 100), ("short", 40)], [("L", 30), ("S", 10)]);

        var projection = SuiteProjection.Project([("L", ["long"]), ("S", ["short"])], costs, lanes: 2, workers: 2);

        // S is ready first (40 s) and analysed at once on the core its lane gave back; L's run ends at 100, its analysis at 130.
        projection.Seconds.Should().BeApproximately(130, 1e-9);
        projection.Timeline.Should().ContainEquivalentOf(new TimelineSpan("foreground", "analyse S", 40, 50));
        projection.Timeline.Should().ContainEquivalentOf(new TimelineSpan("foreground", "analyse L", 100, 130));
        MostBusy(projection).Should().BeLessThanOrEqualTo(2);
    }

    [Fact]
    public void An_analysis_waits_for_a_core_while_both_lanes_train()
    {
        // LPT: b (20 s) on lane 1, a (10 s) on lane 2, then c (5 s). A is ready at 10 but lane 2 asked for its core again
        // first: A is analysed once c is done (15), on that core, while lane 1 still trains b until 20.
        var costs = Costs([("a", 10), ("b", 20), ("c", 5)], [("A", 50), ("B", 0), ("C", 0)]);

        var projection = SuiteProjection.Project([("A", ["a"]), ("B", ["b"]), ("C", ["c"])], costs, lanes: 2, workers: 2);

        projection.Timeline.Should().ContainEquivalentOf(new TimelineSpan("lane 2", "train c", 10, 15));
        projection.Timeline.Should().ContainEquivalentOf(new TimelineSpan("foreground", "analyse A", 15, 65));
        projection.Seconds.Should().BeApproximately(65, 1e-9);
        MostBusy(projection).Should().Be(2);
    }

    [Fact]
    public void With_one_lane_the_foreground_trains_every_run_itself()
    {
        var costs = Costs([("a", 10), ("b", 20)], [("A", 1), ("B", 2)]);

        var projection = SuiteProjection.Project([("A", ["a"]), ("B", ["b", "a"])], costs, lanes: 1, workers: 1);

        projection.Seconds.Should().BeApproximately(33, 1e-9);
        projection.Timeline.Should().OnlyContain(s => s.Worker == "foreground");
        projection.Lanes.Should().Be(0);
    }

    [Fact]
    public void Unknown_costs_count_as_nothing_and_are_named()
    {
        var projection = SuiteProjection.Project([("A", ["a"]), ("B", [])], Costs([], [("B", 5)]), lanes: 2, workers: 2);

        projection.Unknown.Should().Equal("a", "A");
        projection.Seconds.Should().BeApproximately(5, 1e-9);
    }

    [Theory]
    [InlineData("ci")]
    [InlineData("smoke")]
    public void The_committed_costs_are_read_and_project_the_whole_suite_on_the_cores_it_shares(string profile)
    {
        ProfileNames.TryParse(profile, out var p).Should().BeTrue();
        EngineFixtures.Small(); // the runtime first: TorchSharp is loaded through its compatibility step, never directly
        string root = RepositoryLocator.Find();

        var (projection, warning) = SuiteProjection.ForRepository(root, p, new RuntimeOptions(), TorchSharp.torch.CPU, cores: 2);

        warning.Should().BeNull();
        projection.Unknown.Should().BeEmpty("every claim and run of the catalog has a recorded cost");
        projection.Lanes.Should().Be(2);
        projection.Workers.Should().Be(2);
        MostBusy(projection).Should().BeLessThanOrEqualTo(2);
        var (costs, _) = RunCosts.Load(RunCosts.PathIn(Path.Combine(root, "baselines"), p), p);
        double work = costs.Experiments.Values.Sum(c => c.Seconds) + costs.Claims.Values.Sum(c => c.Seconds);
        projection.Seconds.Should().BeGreaterThanOrEqualTo(work / 2 - 1e-6, "two cores cannot do the work in less than half of it");
    }
}
