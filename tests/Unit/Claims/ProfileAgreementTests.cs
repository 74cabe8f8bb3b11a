using Grokking.Claims;
using Grokking.Claims.Baselines;
using Grokking.Claims.Contracts;
using Grokking.Configuration;
using Grokking.Tests.Unit.Engine;

namespace Grokking.Tests.Unit.Claims;

/// <summary>The committed ci and paper verdicts side by side, read from a baselines folder.</summary>
public class ProfileAgreementTests
{
    private static readonly ClaimCatalog Catalog = ClaimCatalog.Load(Path.Combine(RepositoryLocator.Find(), "claims"));

    private static BaselineStore Store(params (Profile Profile, string Id, Verdict Verdict, BaselineProvenance? Made)[] files)
    {
        var store = new BaselineStore(EngineFixtures.TempDirectory());
        foreach (var (profile, id, verdict, made) in files)
        {
            var snapshot = new BaselineSnapshot(id, profile, verdict, [new BaselineMetric("m", "m", 1, 0.1)]) { Made = made };
            store.Compare(snapshot);
            store.Accept(profile, [id]);
        }

        return store;
    }

    [Fact]
    public void Equal_verdicts_agree_different_ones_disagree_and_a_missing_one_leaves_it_open()
    {
        var made = new BaselineProvenance("engine-x", "2026-01-02");
        var store = Store(
            (Profile.Ci, "OG-4", Verdict.Refuted, null), (Profile.Paper, "OG-4", Verdict.Refuted, made),
            (Profile.Ci, "OG-5", Verdict.Inconclusive, null), (Profile.Paper, "OG-5", Verdict.Confirmed, null),
            (Profile.Ci, "PG-1", Verdict.Inconclusive, null));

        var rows = ProfileAgreement.Of(Catalog, ["OG-4", "OG-5", "PG-1"], store);

        (rows[0] with { PaperMinutes = null, CiDeclared = null })
            .Should().Be(new ProfileAgreement("OG-4", Verdict.Refuted, null, Verdict.Refuted, null, made));
        rows[0].Agrees.Should().BeTrue();
        rows[1].Agrees.Should().BeFalse();
        rows[1].PaperMade.Should().BeNull("a baseline written before provenance has none");
        rows[1].CiDeclared.Should().Be("undecidable", "OG-5's file declares its ci layer undecidable");
        rows[2].Agrees.Should().BeNull();
        rows[2].PaperMissing.Should().StartWith("no paper baseline yet (needs a GPU: pg-fractions training projected");
        rows[2].PaperMinutes.Should().Be(Catalog.Experiments["pg-fractions"].Projected["paper"].CpuMinutes);
        rows[2].PaperMinutesRecorded.Should().BeFalse("no paper costs are recorded in this folder");
    }

    [Fact]
    public void Paper_minutes_are_the_recorded_ones_once_every_experiment_of_the_claim_has_a_finished_paper_run()
    {
        var store = Store((Profile.Ci, "OG-6", Verdict.Refuted, null));
        var costs = Grokking.Claims.Scheduling.RunCosts.None(Profile.Paper);
        var measured = costs with
        {
            Experiments = new Dictionary<string, Grokking.Claims.Scheduling.RecordedCost>
            {
                ["og-images"] = new(3000, "engine-x", new DateOnly(2026, 1, 2)),
            },
        };
        measured.Save(Grokking.Claims.Scheduling.RunCosts.PathIn(store.Root, Profile.Paper));

        var row = ProfileAgreement.Of(Catalog, ["OG-6"], store).Single();

        row.PaperMinutes.Should().Be(50);
        row.PaperMinutesRecorded.Should().BeTrue();
    }

    [Fact]
    public void A_damaged_baseline_is_named_never_read_as_a_verdict()
    {
        var store = Store((Profile.Ci, "OG-4", Verdict.Refuted, null), (Profile.Paper, "OG-4", Verdict.Refuted, null));
        File.WriteAllText(store.VerifiedPath(Profile.Paper, "OG-4"), "{ not json");

        var row = ProfileAgreement.Of(Catalog, ["OG-4"], store).Single();

        row.Paper.Should().BeNull();
        row.PaperMissing.Should().StartWith("damaged paper baseline:").And.Contain("not JSON");
        row.Agrees.Should().BeNull();
    }

    [Fact]
    public void A_ci_layer_the_claim_file_declares_out_of_regime_or_undecidable_is_named_and_none_otherwise()
    {
        var store = Store(
            (Profile.Ci, "MC-1", Verdict.Inconclusive, null), (Profile.Paper, "MC-1", Verdict.Inconclusive, null),
            (Profile.Ci, "MC-2", Verdict.Confirmed, null), (Profile.Paper, "MC-2", Verdict.Confirmed, null));

        var rows = ProfileAgreement.Of(Catalog, ["MC-1", "MC-2", "OG-4"], store);

        rows.Select(r => r.CiDeclared).Should().Equal(["out of regime", null, "undecidable"]);
    }
}
