using Grokking.Claims;
using Grokking.Claims.Contracts;
using Grokking.Configuration;

namespace Grokking.Tests.Unit.Claims;

/// <summary>verify --variants: which runs an alternative changes, and how a claim's verdict fares under it.</summary>
public class VariantRunsTests
{
    private static readonly ClaimCatalog Catalog = ClaimCatalog.Load(Path.Combine(RepositoryLocator.Find(), "claims"));

    private static VariantChoice Choice(string experiment, string variant) =>
        new(experiment, Catalog.Experiments[experiment].Variants.Single(v => v.Name == variant));

    [Fact]
    public void A_variant_changes_its_experiment_and_the_arms_extending_it_and_only_at_the_profiles_it_declares()
    {
        var width = Choice("pb-layernorm", "width-128");

        foreach (string arm in new[] { "pb-layernorm", "pb-layernorm-2", "pb-no-norm" })
        {
            var options = ExperimentResolver.Resolve(Catalog.Experiments[arm], Profile.Ci, variant: width.LayerFor(Catalog.Experiments[arm], Profile.Ci));
            options.Model.DModel.Should().Be(128, arm);
            ExperimentResolver.Resolve(Catalog.Experiments[arm], Profile.Ci).Model.DModel.Should().Be(64, "without the variant, the ci layer");
        }

        width.LayerFor(Catalog.Experiments["mc-grokking"], Profile.Ci).Should().BeNull("another setup");
        width.LayerFor(Catalog.Experiments["pb-layernorm"], Profile.Smoke).Should().BeNull("no layer declared at smoke");
    }

    [Fact]
    public void The_variant_layer_comes_last_so_it_overrides_the_profiles_budget()
    {
        var fraction = Choice("mc-grokking", "train-fraction-0.3");
        var experiment = Catalog.Experiments["mc-grokking"];

        var options = ExperimentResolver.Resolve(experiment, Profile.Ci, variant: fraction.LayerFor(experiment, Profile.Ci));

        options.Data.TrainFraction.Should().Be(0.3);
        options.Train.Epochs.Should().Be(3600, "the same 21,600 SGD steps at 6 minibatches an epoch");
        options.Model.DModel.Should().Be(64, "everything else is the ci layer");
    }

    [Fact]
    public void The_plan_pairs_each_alternative_at_the_profile_with_the_selected_claims_that_read_its_runs()
    {
        var plan = VariantRuns.Plan(Catalog, Catalog.Select(["PB-1", "MC-6"]), Profile.Ci);

        plan.Select(p => $"{p.Choice.Experiment}/{p.Choice.Variant.Name}: {string.Join(",", p.Claims)}").Should().Equal(
            "mc-two-inits/train-fraction-0.3: MC-6", "mc-two-inits/width-128: MC-6", "pb-layernorm/width-128: PB-1");
        VariantRuns.Plan(Catalog, Catalog.Select(["PB-1"]), Profile.Paper).Should().BeEmpty("no alternative is declared at paper");
    }

    [Fact]
    public void Named_alternatives_narrow_the_plan_by_name_or_experiment_and_name_and_an_unknown_name_is_found()
    {
        var selection = Catalog.Select(["PB-1", "MC-6", "MC-2"]);

        VariantRuns.Plan(Catalog, selection, Profile.Ci, ["train-fraction-0.3"]).Select(p => $"{p.Choice.Experiment}/{p.Choice.Variant.Name}")
            .Should().Equal("mc-grokking/train-fraction-0.3", "mc-two-inits/train-fraction-0.3");
        VariantRuns.Plan(Catalog, selection, Profile.Ci, ["mc-two-inits/train-fraction-0.3"]).Select(p => p.Choice.Experiment)
            .Should().Equal("mc-two-inits");
        VariantRuns.Plan(Catalog, selection, Profile.Ci, ["pb-layernorm/train-fraction-0.3"]).Should().BeEmpty("pb-layernorm declares no such alternative");

        VariantRuns.Unknown(Catalog, ["width-128", "mc-grokking/lr-0.01"]).Should().BeNull();
        VariantRuns.Unknown(Catalog, ["width-128", "pb-layernorm/lr-0.01", "lr-0.1"]).Should().Be("pb-layernorm/lr-0.01");
        VariantRuns.Declared(Catalog).Should().Contain(["mc-grokking/lr-0.01", "pb-layernorm/width-128"]);
    }

    [Theory]
    [InlineData(Verdict.Refuted, Verdict.Refuted, VariantEffect.Holds)]
    [InlineData(Verdict.Refuted, Verdict.Confirmed, VariantEffect.Flips)]
    [InlineData(Verdict.Confirmed, Verdict.Inconclusive, VariantEffect.Undecided)]
    [InlineData(Verdict.Confirmed, Verdict.Error, VariantEffect.Undecided)]
    [InlineData(null, Verdict.Confirmed, VariantEffect.Undecided)]
    public void A_flip_is_a_decided_verdict_against_a_decided_one_and_an_undecided_run_is_no_flip(
        Verdict? committed, Verdict verdict, VariantEffect effect)
    {
        new VariantOutcome("e", "v", "c", "X-1", committed, verdict).Effect.Should().Be(effect);
    }

    [Fact]
    public void The_summary_says_holds_under_all_or_names_each_alternative_that_moved_the_verdict()
    {
        VariantOutcome[] outcomes =
        [
            new("e", "a", "choice A", "X-1", Verdict.Refuted, Verdict.Refuted),
            new("e", "b", "choice B", "X-1", Verdict.Refuted, Verdict.Refuted),
            new("e", "a", "choice A", "X-2", Verdict.Refuted, Verdict.Confirmed),
            new("e", "b", "choice B", "X-2", Verdict.Refuted, Verdict.Inconclusive),
        ];

        VariantRuns.Summary(outcomes).Should().Equal(
            "X-1: holds under all alternatives (a, b)",
            "X-2: flips under choice A = a (REFUTED -> CONFIRMED); undecided under choice B = b (REFUTED -> INCONCLUSIVE)");
    }

    [Fact]
    public void The_summary_gives_the_rules_own_verdict_where_a_declaration_or_control_set_the_claims()
    {
        VariantOutcome[] outcomes =
        [
            new("e", "w", "width", "X-1", Verdict.Inconclusive, Verdict.Inconclusive) { RuleVerdict = Verdict.Confirmed },
            new("e", "w", "width", "X-2", Verdict.Confirmed, Verdict.Inconclusive) { RuleVerdict = Verdict.Refuted },
        ];

        VariantRuns.Summary(outcomes).Should().Equal(
            "X-1: holds under all alternatives (w); rule under w: CONFIRMED",
            "X-2: undecided under width = w (CONFIRMED -> INCONCLUSIVE (rule: REFUTED))");
    }

    [Fact]
    public void A_rule_verdict_is_written_only_where_it_differs_and_read_back()
    {
        string file = Path.Combine(Grokking.Tests.Unit.Engine.EngineFixtures.TempDirectory(), "variants.json");
        VariantRuns.Save(file, Profile.Ci,
            [new("e", "w", "c", "X-1", null, Verdict.Inconclusive) { RuleVerdict = Verdict.Confirmed }, new("e", "w", "c", "X-2", null, Verdict.Refuted)]);

        File.ReadAllText(file).Split("ruleVerdict").Should().HaveCount(2, "only X-1's differs");
        VariantRuns.Load(file, Profile.Ci).Outcomes.Select(o => o.RuleVerdict).Should().Equal(Verdict.Confirmed, null);
    }

    [Fact]
    public void Recording_replaces_the_outcomes_of_the_same_claim_and_alternative_and_keeps_the_others()
    {
        string dir = Grokking.Tests.Unit.Engine.EngineFixtures.TempDirectory();
        string measured = Path.Combine(dir, "measured.json");
        string recorded = Path.Combine(dir, "recorded.json");
        VariantRuns.Save(recorded, Profile.Ci, [new("e", "a", "c", "X-1", Verdict.Refuted, Verdict.Refuted), new("e", "b", "c", "X-1", null, Verdict.Refuted)]);
        VariantRuns.Save(measured, Profile.Ci, [new("e", "a", "c", "X-1", Verdict.Refuted, Verdict.Confirmed) { Made = new("engine-x", "2026-01-02") }]);

        VariantRuns.Record(measured, recorded, Profile.Ci, "baselines/ci/variants.json")
            .Should().Be("recorded 1 variant outcome(s) into baselines/ci/variants.json");

        var (outcomes, warning) = VariantRuns.Load(recorded, Profile.Ci);
        warning.Should().BeNull();
        outcomes.Select(o => $"{o.Variant}:{o.Verdict}").Should().Equal("b:Refuted", "a:Confirmed");
        outcomes[1].Made.Should().Be(new Grokking.Claims.Baselines.BaselineProvenance("engine-x", "2026-01-02"));
        VariantRuns.Record(Path.Combine(dir, "absent.json"), recorded, Profile.Ci, "x").Should().BeNull("no verify --variants ran");
    }

    [Theory]
    [InlineData("{ not json")]
    [InlineData("""{ "profile": "ci", "outcomes": [ { "claim": "X-1" } ] }""")]
    [InlineData("""{ "profile": "paper", "outcomes": [] }""")]
    [InlineData("""{ "profile": "ci", "outcomes": [], "extra": 1 }""")]
    public void A_damaged_variants_file_is_one_warning_and_no_outcome_never_a_guess(string text)
    {
        string path = Path.Combine(Grokking.Tests.Unit.Engine.EngineFixtures.TempDirectory(), "variants.json");
        File.WriteAllText(path, text);

        var (outcomes, warning) = VariantRuns.Load(path, Profile.Ci);

        outcomes.Should().BeEmpty();
        warning.Should().StartWith(path);
        VariantRuns.Record(path, path + ".recorded", Profile.Ci, "x").Should().StartWith("recorded variants unchanged: ");
        File.Exists(path + ".recorded").Should().BeFalse();
    }
}
