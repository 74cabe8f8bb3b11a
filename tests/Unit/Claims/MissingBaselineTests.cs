using System.Globalization;
using Grokking.Claims;
using Grokking.Claims.Baselines;
using Grokking.Configuration;
using Grokking.Tests.Unit.Engine;

namespace Grokking.Tests.Unit.Claims;

/// <summary>Why a paper baseline is missing: not yet run or needing a GPU, from the projections in the experiment files.</summary>
public class MissingBaselineTests
{
    private static readonly ClaimCatalog Catalog = ClaimCatalog.Load(Path.Combine(RepositoryLocator.Find(), "claims"));

    [Fact]
    public void A_ci_or_smoke_baseline_is_required_so_its_absence_is_no_reason_to_skip()
    {
        var empty = new BaselineStore(EngineFixtures.TempDirectory());

        MissingBaseline.Reason(Catalog.Get("MC-1"), Catalog, empty, Profile.Ci).Should().BeNull();
        MissingBaseline.Reason(Catalog.Get("MC-1"), Catalog, empty, Profile.Smoke).Should().BeNull();
    }

    [Fact]
    public void A_paper_baseline_on_disk_leaves_nothing_to_explain()
    {
        var store = new BaselineStore(EngineFixtures.TempDirectory());
        Directory.CreateDirectory(Path.Combine(store.Root, "paper"));
        File.WriteAllText(store.VerifiedPath(Profile.Paper, "MC-1"), "{}");

        MissingBaseline.Reason(Catalog.Get("MC-1"), Catalog, store, Profile.Paper).Should().BeNull();
    }

    [Theory]
    [InlineData(100, "not yet run")]
    [InlineData(MissingBaseline.CpuAffordableMinutes + 1, "needs a GPU")]
    public void A_missing_paper_baseline_says_whether_this_cpu_can_afford_the_run_with_its_projected_hours(double minutes, string why)
    {
        var catalog = ClaimCatalog.Load(Path.Combine(RepositoryLocator.Find(), "claims"));
        var claim = catalog.Get("OG-6");
        var experiment = catalog.Experiments[claim.Experiment];
        experiment.Projected["paper"] = experiment.Projected["paper"] with { CpuMinutes = minutes, Measured = "2026-01-02" };

        string? reason = MissingBaseline.Reason(claim, catalog, new BaselineStore(EngineFixtures.TempDirectory()), Profile.Paper);

        string hours = (minutes / 60).ToString("0.0", CultureInfo.InvariantCulture);
        reason.Should().Be($"no paper baseline yet ({why}: {claim.Experiment} training projected {hours} CPU-hours on cpu, measured 2026-01-02)");
    }

    [Fact]
    public void Without_a_recorded_projection_the_reason_names_the_command_that_records_one()
    {
        var catalog = ClaimCatalog.Load(Path.Combine(RepositoryLocator.Find(), "claims"));
        var claim = catalog.Get("OG-6");
        catalog.Experiments[claim.Experiment].Projected.Clear();

        MissingBaseline.Reason(claim, catalog, new BaselineStore(EngineFixtures.TempDirectory()), Profile.Paper)
            .Should().Be("no paper baseline yet (not yet run; no projected cost recorded: grokking verify --plan --record --profile paper)");
    }
}
