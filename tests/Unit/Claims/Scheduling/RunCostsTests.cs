using Grokking.Claims.Contracts;
using Grokking.Claims.Scheduling;
using Grokking.Configuration;
using Grokking.Tests.Unit.Engine;
using Grokking.Tests.Unit.Report;
using Grokking.Training;
using static Grokking.Tests.Unit.Claims.Scheduling.LanePlanTests;

namespace Grokking.Tests.Unit.Claims.Scheduling;

public class RunCostsTests
{
    private static string TempFile(string? content)
    {
        string path = Path.Combine(EngineFixtures.TempDirectory(), "ci", RunCosts.FileName);
        if (content is not null)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, content);
        }

        return path;
    }

    [Fact]
    public void Saved_costs_read_back_as_they_were()
    {
        var costs = Costs([("mc-grokking", 803.3), ("pb-layernorm-2", 2192.5)], [("MC-6", 1062.9)]);
        string path = TempFile(null);

        costs.Save(path);
        var (read, warning) = RunCosts.Load(path, Profile.Ci);

        warning.Should().BeNull();
        read.TrainingSeconds("pb-layernorm-2").Should().Be(2192.5);
        read.AnalysisSeconds("MC-6").Should().Be(1062.9);
        read.Experiments["mc-grokking"].Should().Be(new RecordedCost(803.3, "engine-test", new DateOnly(2026, 12, 5)));
        read.TrainingSeconds("og-lu").Should().BeNull();
    }

    [Theory]
    [InlineData(null, "is missing")]
    [InlineData("not json {", "recorded costs ignored")]
    [InlineData("""{ "profile": "smoke", "note": "", "experiments": {}, "claims": {} }""", "the costs of profile 'smoke', not 'ci'")]
    [InlineData("""{ "profile": "ci", "note": "" }""", "not a costs file")]
    [InlineData("""{ "profile": "ci", "note": "", "experiments": { "a": { "seconds": -1, "engine": "e", "measured": "2026-12-05" } }, "claims": {} }""",
        "'a' has no finite number of seconds")]
    [InlineData("""{ "profile": "ci", "note": "", "experiments": {}, "claims": { "MC-1": { "seconds": "NaN", "engine": "e", "measured": "2026-12-05" } } }""",
        "recorded costs ignored")]
    public void A_missing_or_damaged_file_is_no_cost_and_one_warning_line(string? content, string problem)
    {
        var (costs, warning) = RunCosts.Load(TempFile(content), Profile.Ci);

        costs.Experiments.Should().BeEmpty();
        costs.Claims.Should().BeEmpty();
        warning.Should().Contain(problem).And.EndWith("the suite runs in catalog order").And.NotContain("\n");
    }

    [Fact]
    public void A_verify_measures_training_and_analysis_seconds_and_leaves_out_what_measured_nothing()
    {
        var day = new DateOnly(2026, 12, 6);
        var outcomes = new List<ClaimOutcome>
        {
            ReportFixtures.Confirmed with { Id = "MC-1", RunMinutes = [new("mc-grokking", 2.0)], AnalysisSeconds = 1.04 },
            ReportFixtures.Confirmed with { Id = "MC-2", RunMinutes = [new("mc-grokking", 1.5)], AnalysisSeconds = 30 },
            ReportFixtures.Confirmed with { Id = "OG-6", Verdict = Verdict.DataMissing, RunMinutes = [], AnalysisSeconds = 0 },
            ReportFixtures.Confirmed with { Id = "PB-1", Verdict = Verdict.Error, RunMinutes = [new("pb-layernorm", 0)] },
        };

        var measured = RunCosts.Measured(Profile.Ci, outcomes, threads: 1, day);

        measured.Experiments.Should().BeEquivalentTo(new Dictionary<string, RecordedCost> { ["mc-grokking"] = new(120, EngineVersion.Value, day) });
        measured.Claims.Keys.Should().BeEquivalentTo("MC-1", "MC-2");
        measured.AnalysisSeconds("MC-1").Should().Be(1.0);
        measured.Note.Should().Contain("1 torch thread(s)");
    }

    [Fact]
    public void Recording_a_verifys_costs_replaces_what_it_measured_and_keeps_the_rest()
    {
        string recorded = TempFile(null);
        Costs([("a", 10), ("b", 20)], [("A", 1)]).Save(recorded);
        string measured = Path.Combine(EngineFixtures.TempDirectory(), RunCosts.FileName);
        Costs([("b", 25)], [("B", 2)]).Save(measured);

        string? line = RunCosts.Record(measured, recorded, Profile.Ci);

        line.Should().Be($"recorded the costs of 1 experiment(s) and 1 claim(s) into {recorded}");
        var (costs, _) = RunCosts.Load(recorded, Profile.Ci);
        costs.Experiments.ToDictionary(e => e.Key, e => e.Value.Seconds).Should().BeEquivalentTo(new Dictionary<string, double> { ["a"] = 10, ["b"] = 25 });
        costs.Claims.Keys.Should().BeEquivalentTo("A", "B");
        RunCosts.Record(Path.Combine(EngineFixtures.TempDirectory(), "none.json"), recorded, Profile.Ci).Should().BeNull();
        File.WriteAllText(measured, "{");
        RunCosts.Record(measured, recorded, Profile.Ci).Should().StartWith("recorded costs unchanged: recorded costs ignored");
    }

    [Fact]
    public void A_run_read_from_the_cache_fills_a_missing_cost_but_never_replaces_a_recorded_one()
    {
        var day = new DateOnly(2026, 12, 6);
        var outcomes = new List<ClaimOutcome>
        {
            ReportFixtures.Confirmed with { Id = "MC-1", RunMinutes = [new("mc-grokking", 80.0)], CachedRuns = ["mc-grokking"] },
            ReportFixtures.Confirmed with { Id = "PG-8", RunMinutes = [new("pg-sgd", 36.0), new("pg-fractions", 17.0)], CachedRuns = ["pg-sgd"] },
            ReportFixtures.Confirmed with { Id = "PG-3", RunMinutes = [new("pg-fractions", 17.0)], CachedRuns = ["pg-fractions"] },
            ReportFixtures.Confirmed with { Id = "OG-4", RunMinutes = [new("og-modular", 75.0)], CachedRuns = ["og-modular"] },
        };
        var measured = RunCosts.Measured(Profile.Ci, outcomes, threads: 1, day);
        string recorded = TempFile(null);
        Costs([("mc-grokking", 792), ("pg-sgd", 231), ("pg-fractions", 983)], []).Save(recorded);
        string measuredPath = Path.Combine(EngineFixtures.TempDirectory(), RunCosts.FileName);
        measured.Save(measuredPath);

        RunCosts.Record(measuredPath, recorded, Profile.Ci);

        measured.Experiments.Where(e => e.Value.FromCache).Select(e => e.Key).Should().BeEquivalentTo(
            ["mc-grokking", "pg-sgd", "og-modular"], "pg-fractions was trained by this verify (PG-8 read it fresh)");
        File.ReadAllText(measuredPath).Should().Contain("\"fromCache\": true");
        var (costs, _) = RunCosts.Load(recorded, Profile.Ci);
        costs.Experiments.ToDictionary(e => e.Key, e => e.Value.Seconds).Should().BeEquivalentTo(
            new Dictionary<string, double> { ["mc-grokking"] = 792, ["pg-sgd"] = 231, ["pg-fractions"] = 1020, ["og-modular"] = 4500 });
        File.ReadAllText(recorded).Should().Contain("\"fromCache\": true", "og-modular's first record says where it came from")
            .And.Subject.Split("fromCache").Should().HaveCount(2, "only that entry came from the cache");
    }
}
