using System.Text.Json.Nodes;
using Grokking.Claims;
using Grokking.Claims.Contracts;
using Grokking.Claims.Scheduling;
using Grokking.Tests.Unit.Engine;
using Grokking.Training;
using TorchSharp;

namespace Grokking.Tests.Unit.Claims.Scheduling;

/// <summary>verify --plan's estimates: arithmetic by hand, a measured tiny run, and the table's totals.</summary>
public class ExperimentPlanTests
{
    [Fact]
    public void An_estimate_projects_its_step_over_its_steps_and_floors_its_flops_at_the_roofline()
    {
        // 250 ms a step for 2,400 steps is 600 s; 3,000 GFLOP at 10 GFLOP/s is 300 s: half the roofline.
        var e = new ExperimentEstimate("x", 8, 4, 2400, 8, 250, 3000, 10, RecordedSeconds: 590, EarlyStop: false);

        e.ProjectedSeconds.Should().Be(600);
        e.RooflineSeconds.Should().Be(300);
        e.RooflinePercent.Should().Be(50);
        (e with { RooflineGflops = 0 }).RooflineSeconds.Should().Be(0);
    }

    [Fact]
    public void The_table_totals_the_projections_and_the_floor_and_marks_early_stopping_budgets()
    {
        var plan = new ExperimentPlan(
            [
                new ExperimentEstimate("first", 8, 4, 1200, 80, 100, 1200, 20, RecordedSeconds: 100, EarlyStop: true),
                new ExperimentEstimate("second", 3, 3, 600, 32, 200, 600, 10, RecordedSeconds: null, EarlyStop: false),
            ],
            ["analysis-trained"],
            RecordedAnalysisSeconds: 90);

        // 120 s + 120 s projected; 60 s + 60 s at the roofline, 1 min over 2 lanes.
        var lines = plan.Lines("ci", lanes: 2).ToList();

        lines.Should().HaveCount(6);
        lines[1].Should().StartWith("first").And.Contain("4/8").And.Contain("≤1200");
        lines[2].Should().StartWith("second").And.Contain(" 600 ").And.NotContain("≤");
        lines[3].Should().Be("total: projected 4.0 CPU min (recorded 1.7 min for 1 of 2); at the roofline 2.0 CPU min = 1.0 min on 2 lane(s) at least");
        lines[5].Should().Contain("(1.5 min recorded in baselines/ci/costs.json)").And.EndWith("analysis-trained");
    }

    [Fact]
    public void A_tiny_run_is_measured_whole_its_flops_are_its_members_steps_and_a_finished_runs_steps_replace_the_budget()
    {
        var options = EngineFixtures.Small("Train:Steps=300", "Population:Seeds=0,1,2,3,4,5", "Train:StopMarginSteps=10");

        var budget = ExperimentEstimator.Estimate("tiny", options, torch.CPU, recordedSeconds: null, cheapStepMs: double.MaxValue);
        var finished = ExperimentEstimator.Estimate("tiny", options, torch.CPU, recordedSeconds: 12, finishedSteps: 100);
        var sampled = ExperimentEstimator.Estimate("tiny", options, torch.CPU, recordedSeconds: null, cheapStepMs: 0);

        // A cheap step is measured with every member; a dear one on a sample of four, scaled by members (the choice is
        // pinned here, not timed: a loaded machine would move a timed threshold).
        budget.SampledMembers.Should().Be(6);
        sampled.SampledMembers.Should().Be(ExperimentEstimator.SampleMembers);
        sampled.Gflop.Should().BeApproximately(budget.Gflop, 1e-12, "the FLOPs count every member either way");
        budget.Steps.Should().Be(300);
        budget.EarlyStop.Should().BeTrue();
        budget.MsPerStep.Should().BePositive();
        budget.RooflineGflops.Should().BePositive();
        int train = Grokking.Data.PopulationDataFactory.TrainCount(options.Data);
        double memberStep = ModelMatmuls.MemberStepFlops(options, 64, train, (23 * 23) - train);
        budget.Gflop.Should().BeApproximately(6 * 300 * memberStep / 1e9, 1e-12);
        finished.Steps.Should().Be(100);
        finished.EarlyStop.Should().BeFalse();
        finished.Gflop.Should().BeApproximately(budget.Gflop / 3, 1e-12);
        finished.RecordedSeconds.Should().Be(12);
    }

    [Fact]
    public void The_cache_answers_with_a_finished_run_only_and_never_trains_one()
    {
        var options = EngineFixtures.Small("Train:Steps=20");
        var cache = new RunCache(EngineFixtures.TempDirectory());

        cache.Finished("plan", options, torch.CPU).Should().BeNull();
        Directory.Exists(cache.DirectoryOf("plan", options)).Should().BeFalse();
        var trained = cache.GetOrTrain("plan", options, torch.CPU);
        cache.Finished("plan", options, torch.CPU)!.Result.StepsCompleted.Should().Be(20);

        // A damaged entry is no finished run: the plan falls back to the budget, as a verify would retrain it.
        File.WriteAllText(Path.Combine(trained.Directory, "metrics.csv"), "damaged");
        new RunCache(cache.Root).Finished("plan", options, torch.CPU).Should().BeNull();
    }

    [Fact]
    public void Recording_a_projection_sets_it_beside_the_setup_and_leaves_every_other_key_as_it_was()
    {
        string source = Path.Combine(RepositoryLocator.Find(), "claims", "experiments", "pb-layernorm.json");
        string file = Path.Combine(EngineFixtures.TempDirectory(), "pb-layernorm.json");
        File.Copy(source, file);
        var cost = new ProjectedCost(142.6, 102.8, 80000, true, 3, "2026-12-06", "engine-x", "cpu");

        ProjectionRecorder.Write(file, "paper", cost);
        ProjectionRecorder.Write(file, "paper", cost with { CpuMinutes = 150 });
        ProjectionRecorder.Write(file, "ci", cost with { CpuMinutes = 10 });

        var written = JsonNode.Parse(File.ReadAllText(file))!.AsObject();
        var projected = written["projected"]!.AsObject();
        projected.Select(p => p.Key).Should().Equal("paper", "ci");
        projected["paper"]!["cpuMinutes"]!.GetValue<double>().Should().Be(150);
        projected["paper"]!["earlyStop"]!.GetValue<bool>().Should().BeTrue();
        var original = JsonNode.Parse(File.ReadAllText(source))!.AsObject();
        written.Remove("projected");
        original.Remove("projected");
        JsonNode.DeepEquals(written, original).Should().BeTrue();
    }
}
