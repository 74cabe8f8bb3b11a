using Grokking.Claims;
using Grokking.Configuration;
using Grokking.Tests.Unit.Engine;
using TorchSharp;

namespace Grokking.Tests.Unit.Claims;

public class BackgroundRunsTests
{
    private const string Catalog = """
        { "papers": [ { "prefix": "MC", "document": "000.txt", "title": "mode connectivity" } ],
          "baseline": { "relative": 0.1, "absolute": 0.02, "reason": "rounding across CPUs" } }
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
        { "id": "{{id}}", "title": "t", "source": "000.txt section 2", "statement": "s",
          "paper": [ { "name": "point 1", "value": 585, "unit": "epoch" }, { "name": "point 2", "value": 2402, "unit": "epoch" } ],
          "experiment": "{{experiment}}", "analysis": "memorization-then-generalization",
          "tolerances": [ { "name": "maxValAccuracyAtPoint1", "value": 0.1, "reason": "r" }, { "name": "minDelayRatio", "value": 2, "reason": "r" }, { "name": "robustValAccuracy", "value": 0.99, "reason": "r" } ],
          "decision": "d", "seedCombination": "every seed" }
        """;

    [Fact]
    public void Lanes_train_the_selected_claims_runs_once_each_and_nothing_else()
    {
        EngineFixtures.Small();
        string dir = EngineFixtures.TempDirectory();
        Directory.CreateDirectory(Path.Combine(dir, "experiments"));
        File.WriteAllText(Path.Combine(dir, "catalog.json"), Catalog);
        File.WriteAllText(Path.Combine(dir, "experiments", "lane-a.json"), Experiment("lane-a", 1));
        File.WriteAllText(Path.Combine(dir, "experiments", "lane-b.json"), Experiment("lane-b", 0.5));
        File.WriteAllText(Path.Combine(dir, "experiments", "lane-c.json"), Experiment("lane-c", 0.1));
        File.WriteAllText(Path.Combine(dir, "MC-1.json"), Claim("MC-1", "lane-a"));
        File.WriteAllText(Path.Combine(dir, "MC-2.json"), Claim("MC-2", "lane-a"));
        File.WriteAllText(Path.Combine(dir, "MC-3.json"), Claim("MC-3", "lane-b"));
        File.WriteAllText(Path.Combine(dir, "MC-4.json"), Claim("MC-4", "lane-c"));
        var catalog = ClaimCatalog.Load(dir);
        string cache = Path.Combine(dir, "cache");
        var runner = new ClaimRunner(catalog, new RunCache(cache), Profile.Ci, torch.CPU, Path.Combine(dir, "report"));
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
        EngineFixtures.Small();
        string dir = EngineFixtures.TempDirectory();
        Directory.CreateDirectory(Path.Combine(dir, "experiments"));
        File.WriteAllText(Path.Combine(dir, "catalog.json"), Catalog);
        File.WriteAllText(Path.Combine(dir, "experiments", "lane-d.json"), Experiment("lane-d", 1));
        File.WriteAllText(Path.Combine(dir, "MC-1.json"), Claim("MC-1", "lane-d"));
        var catalog = ClaimCatalog.Load(dir);
        string cache = Path.Combine(dir, "cache");
        var runner = new ClaimRunner(catalog, new RunCache(cache), Profile.Ci, torch.CPU, Path.Combine(dir, "report"));

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
