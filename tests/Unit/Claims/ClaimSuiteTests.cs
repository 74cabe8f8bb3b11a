using Grokking.Claims;
using Grokking.Configuration;
using Grokking.Runtime;
using Grokking.Tests.Unit.Engine;
using TorchSharp;

namespace Grokking.Tests.Unit.Claims;

public class ClaimSuiteTests
{
    /// <summary>A suite over this checkout's claims that keeps its runs and report in fresh directories.</summary>
    private static ClaimSuite Suite(IReadOnlyCollection<string>? patterns = null, string? cache = null)
    {
        EngineFixtures.Small();
        string dir = EngineFixtures.TempDirectory();
        var runtime = new RuntimeOptions { Device = DeviceChoice.Cpu };
        string runs = cache ?? Path.Combine(dir, "cache");
        var settings = new ClaimSuiteSettings(RepositoryLocator.Find(), Profile.Smoke, runtime, Path.Combine(dir, "report"), runs);
        return new ClaimSuite(settings, patterns);
    }

    [Fact]
    public void A_suite_knows_the_claims_it_selects_in_catalog_order()
    {
        var all = Suite();
        var some = Suite(["PB-2", "MC-*"]);

        all.Selection.Select(c => c.Id).Should().Equal(all.Catalog.Claims.Select(c => c.Id));
        some.Selection.Select(c => c.Id).Should().Equal("MC-1", "MC-2", "MC-3", "MC-4", "MC-5", "MC-6", "MC-7", "MC-8", "MC-9", "MC-10",
            "PB-2");
    }

    [Fact]
    public void A_selection_that_matches_no_claim_is_refused_when_the_suite_is_built()
    {
        var act = () => Suite(["XY-*"]);

        act.Should().Throw<OptionsException>().WithMessage("*no claim matches 'XY-*'*");
    }

    [Fact]
    public void Two_suites_share_runs_through_the_disk_cache_only()
    {
        var options = EngineFixtures.Small("Train:Steps=20");
        string cache = EngineFixtures.TempDirectory();
        var first = Suite(cache: cache);
        var second = Suite(cache: cache);
        var trained = first.Runs.GetOrTrain("suite-run", options, torch.CPU);

        // The second suite was never asked for the run, so a lane of its own would take it, and read it from disk.
        second.Runs.Should().NotBeSameAs(first.Runs);
        first.Runs.TrainIfUnrequested("suite-run", options, torch.CPU).Should().BeFalse();
        second.Runs.TrainIfUnrequested("suite-run", options, torch.CPU).Should().BeTrue();
        var read = second.Runs.GetOrTrain("suite-run", options, torch.CPU);
        read.Should().NotBeSameAs(trained);
        read.FromCache.Should().BeTrue();
        read.Directory.Should().Be(trained.Directory);
        read.Result.Metrics.Select(m => m.TrainLoss).Should().Equal(trained.Result.Metrics.Select(m => m.TrainLoss));
    }
}
