using Grokking.Claims;
using Grokking.Tests.Unit.Engine;
using TorchSharp;

namespace Grokking.Tests.Unit.Claims;

public class RunCacheTests
{
    [Fact]
    public async Task Concurrent_requests_for_one_experiment_train_once_and_share_the_run()
    {
        var options = EngineFixtures.Small("Train:Steps=60");
        var cache = new RunCache(EngineFixtures.TempDirectory());

        var runs = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => Task.Run(() => cache.GetOrTrain("tiny", options, torch.CPU))));

        // One caller trained; the others waited for that same run rather than training again.
        runs.Should().AllSatisfy(r => r.Should().BeSameAs(runs[0]));
        runs[0].FromCache.Should().BeFalse();
        runs.Should().AllSatisfy(r => r.Result.StepsCompleted.Should().Be(60));
        File.Exists(Path.Combine(runs[0].Directory, "complete.json")).Should().BeTrue();
    }

    [Theory]
    [InlineData(10, 9000, 10000, 100)]
    [InlineData(10, 0, 10000, 10)]
    [InlineData(10, 10000, 10000, 10)]
    public void A_resumed_runs_cost_is_this_sessions_rate_over_all_its_steps(double seconds, long resumedFrom, long completed, double cost)
    {
        // 1,000 steps in 10 s after resuming at 9,000: the whole run costs 100 s; a run that had nothing left keeps its seconds.
        RunCache.CostOf(seconds, resumedFrom, completed).Should().Be(cost);
    }

    [Fact]
    public void A_background_lane_skips_a_run_already_asked_for_and_trains_one_that_is_not()
    {
        var options = EngineFixtures.Small("Train:Steps=30");
        var cache = new RunCache(EngineFixtures.TempDirectory());
        var asked = cache.GetOrTrain("lane-asked", options, torch.CPU);

        cache.TrainIfUnrequested("lane-asked", options, torch.CPU).Should().BeFalse();
        cache.TrainIfUnrequested("lane-new", options, torch.CPU).Should().BeTrue();

        // The claim that asks afterwards gets the lane's run, not a second training.
        var later = cache.GetOrTrain("lane-new", options, torch.CPU);
        File.Exists(Path.Combine(later.Directory, "complete.json")).Should().BeTrue();
        later.Result.StepsCompleted.Should().Be(30);
        cache.TrainIfUnrequested("lane-new", options, torch.CPU).Should().BeFalse();
        later.Directory.Should().NotBe(asked.Directory);
    }

    [Fact]
    public void Two_caches_over_one_directory_share_the_disk_and_nothing_else()
    {
        var options = EngineFixtures.Small("Train:Steps=20");
        string root = EngineFixtures.TempDirectory();
        var first = new RunCache(root);
        var second = new RunCache(root);
        var trained = first.GetOrTrain("two-caches", options, torch.CPU);

        // What one cache was asked for is its own: the other has not been asked, and reads the finished run from disk.
        first.TrainIfUnrequested("two-caches", options, torch.CPU).Should().BeFalse();
        second.TrainIfUnrequested("two-caches", options, torch.CPU).Should().BeTrue();
        var read = second.GetOrTrain("two-caches", options, torch.CPU);
        read.Should().NotBeSameAs(trained);
        read.FromCache.Should().BeTrue();
        read.Directory.Should().Be(trained.Directory);
    }

    [Fact]
    public async Task Runs_trained_side_by_side_match_the_same_runs_trained_alone()
    {
        // Every random draw comes from a per-member generator, so two trainings on two threads cannot disturb each
        // other: the background lanes give the runs a serial suite would.
        var a = EngineFixtures.Small("Train:Steps=40");
        var b = EngineFixtures.Small("Train:Steps=40", "Optimizer:WeightDecay=0.3", "Population:Seeds:0=7");
        var alone = new RunCache(EngineFixtures.TempDirectory());
        var aloneA = alone.GetOrTrain("side-a", a, torch.CPU);
        var aloneB = alone.GetOrTrain("side-b", b, torch.CPU);

        var together = new RunCache(EngineFixtures.TempDirectory());
        var runs = await Task.WhenAll(
            Task.Run(() => together.GetOrTrain("side-a", a, torch.CPU)),
            Task.Run(() => together.GetOrTrain("side-b", b, torch.CPU)));

        runs[0].Result.Metrics.Select(m => m.TrainLoss).Should().Equal(aloneA.Result.Metrics.Select(m => m.TrainLoss));
        runs[1].Result.Metrics.Select(m => m.TrainLoss).Should().Equal(aloneB.Result.Metrics.Select(m => m.TrainLoss));
        runs[1].Result.Metrics.Select(m => m.TrainLoss).Should().NotEqual(runs[0].Result.Metrics.Select(m => m.TrainLoss));
    }

    [Fact]
    public void A_finished_run_is_served_from_disk_with_the_same_metrics()
    {
        var options = EngineFixtures.Small("Train:Steps=40");
        string root = EngineFixtures.TempDirectory();
        var trained = new RunCache(root).GetOrTrain("tiny-a", options, torch.CPU);

        // A different experiment name with the same configuration is another entry, trained separately.
        var other = new RunCache(root).GetOrTrain("tiny-b", options, torch.CPU);
        other.FromCache.Should().BeFalse();

        var again = new RunCache(root).DirectoryOf("tiny-a", options);
        again.Should().Be(trained.Directory);
        var reloaded = new Grokking.Training.RunDirectory(again).ReadResult();
        reloaded.Metrics.Select(m => m.TrainLoss).Should().Equal(trained.Result.Metrics.Select(m => m.TrainLoss));
        reloaded.Events.Should().Equal(trained.Result.Events);
    }

    [Fact]
    public void The_key_changes_with_the_configuration_but_not_with_runtime_settings()
    {
        var a = EngineFixtures.Small();
        var b = EngineFixtures.Small("Optimizer:WeightDecay=0.01");
        var c = EngineFixtures.Small("Runtime:Threads=1", "Output:RunsDirectory=elsewhere", "Runtime:AllowTf32=true");

        RunCache.KeyOf(a).Should().NotBe(RunCache.KeyOf(b));
        RunCache.KeyOf(a).Should().Be(RunCache.KeyOf(c));
        RunCache.KeyOf(a, "cuda").Should().NotBe(RunCache.KeyOf(a, "cpu"), "a CUDA run is not a CPU run");
        RunCache.KeyOf(a, "cuda-tf32").Should().NotBe(RunCache.KeyOf(a, "cuda"), "TF32 on CUDA (Runtime:AllowTf32) rounds otherwise");
    }

    /// <summary>
    /// New options must keep the keys of runs that do not use them (a changed key retrains every cached run: 25
    /// minutes for MC at ci). These are the keys of the committed experiments' ci runs at engine-2026.11.23.3; a
    /// deliberate change (a new engine version) updates them here.
    /// </summary>
    [Theory]
    [InlineData("mc-grokking", "a570001fcc927887")]
    [InlineData("mc-two-inits", "53e57ec006a6895b")]
    [InlineData("pb-layernorm", "bd59055e3cedb5f3")]
    [InlineData("pb-layernorm-2", "7b6262575fe58f9f")]
    [InlineData("og-images", "2c939020cd5b1827")]
    public void Adding_an_option_at_its_default_keeps_existing_run_keys(string experiment, string key)
    {
        EngineFixtures.Small();
        var catalog = ClaimCatalog.Load(Path.Combine(RepositoryLocator.Find(), "claims"));
        var options = ExperimentResolver.Resolve(catalog.Experiments[experiment], Grokking.Configuration.Profile.Ci);

        RunCache.KeyOf(options).Should().Be(key);
    }
}
