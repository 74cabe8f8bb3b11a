using Grokking.Claims;
using Grokking.Claims.Scheduling;
using Grokking.Configuration;
using Grokking.Runtime;
using Grokking.Tests.Unit.Engine;

namespace Grokking.Tests.Unit.Claims.Scheduling;

public class PlannedVerificationTests
{
    private static ClaimSuite Suite(Profile profile, IReadOnlyCollection<string>? patterns = null)
    {
        EngineFixtures.Small();
        string dir = EngineFixtures.TempDirectory();
        var runtime = new RuntimeOptions { Device = DeviceChoice.Cpu };
        var settings = new ClaimSuiteSettings(RepositoryLocator.Find(), profile, runtime, Path.Combine(dir, "report"), Path.Combine(dir, "cache"));
        return new ClaimSuite(settings, patterns);
    }

    [Fact]
    public void The_foreground_order_puts_claims_whose_runs_are_ready_first_and_keeps_every_claim()
    {
        var suite = Suite(Profile.Ci);

        var order = suite.PlanOrder().Select(c => c.Id).ToList();

        suite.CostsWarning.Should().BeNull();
        order.Should().BeEquivalentTo(suite.Selection.Select(c => c.Id));
        order.Should().NotEqual(suite.Selection.Select(c => c.Id), "the recorded costs reorder the catalog");

        // MC-10, PB-5, OG-4 and OG-5 train nothing at ci (ready at once); after them, whatever the recorded costs say, a
        // claim's runs are never predicted ready later than those of the claim after it.
        order.Take(4).Should().Equal("MC-10", "PB-5", "OG-4", "OG-5");
        var readiness = suite.PlanReadiness();
        readiness.Select(c => c.Id).Should().Equal(order);
        readiness.Select(c => c.ReadyAt).Should().BeInAscendingOrder("claims are verified in order of predicted readiness");
        readiness.Max(c => c.ReadyAt).Should().BeGreaterThan(0, "the ci claims wait for trained runs");
        suite.Projection.Lanes.Should().Be(suite.RuntimeInfo.ParallelRuns < 2 ? 0 : suite.RuntimeInfo.ParallelRuns);
    }

    [Fact]
    public void Each_caller_gets_its_claims_outcome_whatever_order_it_asks_in()
    {
        var suite = Suite(Profile.Smoke, ["OG-1", "PB-5"]);
        suite.StartBackgroundRuns();

        var verification = new PlannedVerification(suite);
        var og1 = verification.Outcome("OG-1");
        var pb5 = verification.Outcome("PB-5");
        verification.WaitAll();

        verification.Order.Should().Equal("PB-5", "OG-1");
        og1.Id.Should().Be("OG-1");
        pb5.Id.Should().Be("PB-5");
        suite.Outcomes.Select(o => o.Id).Should().BeEquivalentTo("OG-1", "PB-5");
        og1.AnalysisSeconds.Should().BeInRange(0, og1.Seconds + 1);
        FluentActions.Invoking(() => verification.Outcome("MC-1")).Should().Throw<ArgumentException>().WithMessage("*'MC-1' is not among*");
    }
}
