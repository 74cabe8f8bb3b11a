using Grokking.Claims;
using Grokking.Configuration;
using Grokking.Tests.Unit.Engine;
using TorchSharp;

namespace Grokking.Tests.Unit.Claims;

public class BackgroundRunsTests
{
    private const string Catalog = """
        { "papers": [ { "prefix": "MC", "document": "000.txt", "title": "mode connectivity", "authors": ["A. Author"], "whereToFind": "preprint" } ],
          "baselineTolerance": { "relative": 0.1, "absolute": 0.02, "reason": "rounding across CPUs" } }
        """;

    private static string Experiment(string name, double weightDecay) => $$"""
        { "name": "{{name}}", "description": "test",
          "options": { "Data": { "Modulus": 11, "Operation": "add" }, "Model": { "DModel": 16, "DMlp": 32, "Heads": 2 },
                       "Optimizer": { "WeightDecay": {{weightDecay}} },
                       "Train": { "BatchSize": 0, "Epochs": 0, "Steps": 20, "MetricsEvery": 10, "CheckpointEvery": 0 },
                       "Population": { "Seeds": [0, 1, 2] } },
          "profiles": { "ci": {} }, "choices": [] }
        """;

    private static string Claim(string id, string experiment) => $$"""
        { "id": "{{id}}", "title": "t", "section": "2", "figure": null, "statement": "s",
          "paper": [ { "name": "point 1", "value": 585, "unit": "epoch" }, { "name": "point 2", "value": 2402, "unit": "epoch" } ],
          "experiment": "{{experiment}}", "analysis": "memorization-then-generalization",
          "ruleParameters": [ { "name": "maxValAccuracyAtPoint1", "value": 0.1, "reason": "r" }, { "name": "minDelayRatio", "value": 2, "reason": "r" }, { "name": "robustValAccuracy", "value": 0.99, "reason": "r" } ],
          "decision": "d", "seedCombination": "every-seed",
          "scope": { "kind": "typical", "reason": "r" },
          "control": { "name": "validation-as-train", "description": "d", "expect": "refuted", "reason": "r" } }
        """;

    /// <summary>A claims directory with one experiment per weight decay and one claim per (id, experiment), and a ci runner over it.</summary>
    private static (ClaimCatalog Catalog, ClaimRunner Runner, string Cache) Setup((string Name, double WeightDecay)[] experiments, (string Id, string Experiment)[] claims)
    {
        EngineFixtures.Small();
        string dir = EngineFixtures.TempDirectory();
        Directory.CreateDirectory(Path.Combine(dir, "experiments"));
        File.WriteAllText(Path.Combine(dir, "catalog.json"), Catalog);
        foreach (var (name, weightDecay) in experiments)
        {
            File.WriteAllText(Path.Combine(dir, "experiments", $"{name}.json"), Experiment(name, weightDecay));
        }

        foreach (var (id, experiment) in claims)
        {
            File.WriteAllText(Path.Combine(dir, $"{id}.json"), Claim(id, experiment));
        }

        var catalog = ClaimCatalog.Load(dir);
        string cache = Path.Combine(dir, "cache");
        return (catalog, new ClaimRunner(catalog, new RunCache(cache), Profile.Ci, torch.CPU, Path.Combine(dir, "report")), cache);
    }

    [Fact]
    public void Lanes_train_the_selected_claims_runs_once_each_and_nothing_else()
    {
        var (catalog, runner, cache) = Setup(
            [("lane-a", 1), ("lane-b", 0.5), ("lane-c", 0.1)],
            [("MC-1", "lane-a"), ("MC-2", "lane-a"), ("MC-3", "lane-b"), ("MC-4", "lane-c")]);
        var ready = new List<ClaimProgress>();
        var progress = new Collect(ready);

        // MC-1 and MC-2 share lane-a: one run; MC-4 (lane-c) is not selected.
        BackgroundRuns.Start(runner, [catalog.Get("MC-1"), catalog.Get("MC-2"), catalog.Get("MC-3")], lanes: 2, progress, CancellationToken.None);
        var outcome = runner.Verify(catalog.Get("MC-3"));

        outcome.Experiment.Should().Contain("lane-b");
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (Directory.GetFiles(cache, "complete.json", SearchOption.AllDirectories).Length < 2 && DateTime.UtcNow < deadline)
        {
            Thread.Sleep(100);
        }

        var trained = Directory.GetDirectories(cache).Select(Path.GetFileName).ToList();
        trained.Should().HaveCount(2).And.Contain(d => d!.StartsWith("lane-a-", StringComparison.Ordinal)).And.Contain(d => d!.StartsWith("lane-b-", StringComparison.Ordinal));
        Directory.GetFiles(cache, "complete.json", SearchOption.AllDirectories).Should().HaveCount(2);
        lock (ready)
        {
            ready.Should().OnlyContain(p => p.Phase.Contains("ready", StringComparison.Ordinal) && p.ClaimId.StartsWith("lane ", StringComparison.Ordinal));
        }
    }

    [Fact]
    public void One_lane_starts_nothing_the_claims_train_their_own_runs()
    {
        var (catalog, runner, cache) = Setup([("lane-d", 1)], [("MC-1", "lane-d")]);

        BackgroundRuns.Start(runner, catalog.Claims, lanes: 1, progress: null, CancellationToken.None);
        Thread.Sleep(300);

        Directory.Exists(cache).Should().BeFalse();
    }

    private sealed class Collect(List<ClaimProgress> into) : IProgress<ClaimProgress>
    {
        public void Report(ClaimProgress value)
        {
            lock (into)
            {
                into.Add(value);
            }
        }
    }
}
