using Grokking.Claims;
using Grokking.Claims.Contracts;

namespace Grokking.Tests.Unit.Claims;

public class ClaimCatalogTests
{
    private const string Experiment = """
        { "name": "tiny", "description": "test", "options": { "Population": { "Seeds": [0, 1, 2] } }, "profiles": { "ci": { "Train": { "Epochs": 2 } } }, "choices": [] }
        """;

    private const string Catalog = """
        { "papers": [ { "prefix": "MC", "document": "000.txt", "title": "mode connectivity", "authors": ["A. Author", "B. Author"], "whereToFind": "Russian preprint, no public address given" },
                      { "prefix": "PB", "document": "001.txt", "title": "periodic", "authors": ["C. Author"], "whereToFind": "arXiv:0000.00000" } ],
          "baselineTolerance": { "relative": 0.1, "absolute": 0.02, "reason": "rounding across CPUs" } }
        """;

    private static string Claim(string id = "MC-1", string experiment = "tiny", string analysis = "memorization-then-generalization", string tolerances = """
        [ { "name": "maxValAccuracyAtPoint1", "value": 0.1, "reason": "chance is 1%" }, { "name": "minDelayRatio", "value": 2, "reason": "much later" }, { "name": "robustValAccuracy", "value": 0.99, "reason": "one pair decides 100%" } ]
        """, string seeds = "[0, 1, 2]", string section = "\"2\", \"figure\": \"Fig. 1\"", string members = "{}", string baseline = "", string paper = Paper, string? companions = null) => $$"""
        {
          "id": "{{id}}", "title": "t", "section": {{section}}, "statement": "s", "paper": {{paper}},
          "experiment": "{{experiment}}", "analysis": "{{analysis}}", "ruleParameters": {{tolerances}}, "members": {{members}},
          "decision": "d", "seeds": {{seeds}}, "seedCombination": "every-seed", "scope": { "kind": "typical", "reason": "r" },
          "control": { "name": "{{ControlOf(analysis)}}", "description": "d", "expect": "refuted", "reason": "r" }{{baseline}}{{(companions is null ? "" : $", \"companions\": {companions}")}}
        }
        """;

    /// <summary>The control the analysis implements (a test claim must declare it, as every claim file does).</summary>
    private static string ControlOf(string analysis) =>
        Grokking.Claims.Analyses.AnalysisRegistry.TryGet(analysis, out var a) ? a.ControlName ?? "none" : "none";

    private const string Paper = """[ { "name": "point 1", "value": 585, "unit": "epoch" }, { "name": "point 2", "value": 2402, "unit": "epoch" } ]""";

    private static string Write(string claimJson, string fileId = "MC-1", string catalog = Catalog)
    {
        string dir = Path.Combine(Path.GetTempPath(), "grokking-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path.Combine(dir, "experiments"));
        File.WriteAllText(Path.Combine(dir, "catalog.json"), catalog);
        File.WriteAllText(Path.Combine(dir, "experiments", "tiny.json"), Experiment);
        File.WriteAllText(Path.Combine(dir, $"{fileId}.json"), claimJson);
        return dir;
    }

    /// <summary>Writes a further experiment file beside tiny.json; its name is read from the JSON.</summary>
    private static string WithExperiment(string dir, string experimentJson)
    {
        using var json = System.Text.Json.JsonDocument.Parse(experimentJson);
        string name = json.RootElement.GetProperty("name").GetString()!;
        File.WriteAllText(Path.Combine(dir, "experiments", $"{name}.json"), experimentJson);
        return dir;
    }

    [Fact]
    public void A_valid_claim_loads_with_its_experiment()
    {
        var catalog = ClaimCatalog.Load(Write(Claim()));

        catalog.Claims.Should().ContainSingle(c => c.Id == "MC-1");
        catalog.Experiments.Should().ContainKey("tiny");
        catalog.Claims[0].ParametersAs<MemorizationThenGeneralization.Limits>().MinRatio.Should().Be(2);
        catalog.Claims[0].BaselineTolerance!.Reason.Should().Be("rounding across CPUs", "a claim without a baseline block takes the catalog's");
        catalog.Papers.Select(p => p.Prefix).Should().Equal("MC", "PB");
    }

    [Fact]
    public void A_claim_may_override_the_baseline_with_a_reason()
    {
        var catalog = ClaimCatalog.Load(Write(Claim(baseline: """, "baselineTolerance": { "relative": 0.3, "absolute": 0, "reason": "chaotic" }""")));

        catalog.Claims[0].BaselineTolerance!.Relative.Should().Be(0.3);
    }

    [Fact]
    public void Claims_are_ordered_by_paper_then_number()
    {
        string dir = Write(Claim(id: "PB-1"), fileId: "PB-1");
        File.WriteAllText(Path.Combine(dir, "MC-10.json"), Claim(id: "MC-10"));
        File.WriteAllText(Path.Combine(dir, "MC-2.json"), Claim(id: "MC-2"));

        ClaimCatalog.Load(dir).Claims.Select(c => c.Id).Should().Equal("MC-2", "MC-10", "PB-1");
    }

    [Theory]
    [InlineData("experiment", "nope", "*'experiment'*'nope' is unknown*")]
    [InlineData("analysis", "nope", "*'analysis'*'nope' is unknown*")]
    [InlineData("ruleParameters", "[ { \"name\": \"minDelayRatio\", \"value\": 2, \"reason\": \"x\" } ]", "*'ruleParameters.maxValAccuracyAtPoint1' is missing*")]
    [InlineData("ruleParameters", "[ { \"name\": \"maxValAccuracyAtPoint1\", \"value\": 0.1, \"reason\": \"\" }, { \"name\": \"minDelayRatio\", \"value\": 2, \"reason\": \"x\" }, { \"name\": \"robustValAccuracy\", \"value\": 0.99, \"reason\": \"x\" } ]", "*reason' is missing*")]
    [InlineData("seeds", "[0, 7]", "*'seeds' includes seeds the experiment*")]
    [InlineData("id", "XY-1", "*'id'*'XY-1' is not a catalog id*MC, PB*")]
    [InlineData("members", "{ \"weightDecay\": 0.5 }", "*'members' matches no member of experiment 'tiny' in profile*")]
    [InlineData("paper", "[ { \"name\": \"point 1\", \"value\": 585 } ]", "*'paper.point 2' is missing*")]
    public void A_bad_claim_names_the_file_and_the_field(string field, string value, string message)
    {
        string json = field switch
        {
            "experiment" => Claim(experiment: value),
            "analysis" => Claim(analysis: value),
            "ruleParameters" => Claim(tolerances: value),
            "id" => Claim(id: value),
            "members" => Claim(members: value),
            "paper" => Claim(paper: value),
            _ => Claim(seeds: value),
        };

        var act = () => ClaimCatalog.Load(Write(json));

        act.Should().Throw<ClaimDefinitionException>().WithMessage("*MC-1.json*").WithMessage(message);
    }

    [Fact]
    public void A_claim_names_its_papers_section_and_figure_and_the_catalog_gives_the_paper()
    {
        var catalog = ClaimCatalog.Load(Write(Claim()));
        var claim = catalog.Claims.Single();

        claim.Section.Should().Be("2");
        claim.Figure.Should().Be("Fig. 1");
        claim.CatalogPaper.Should().BeSameAs(catalog.Papers[0]);
        claim.Citation.Should().Be(new ClaimSource("mode connectivity", "2", "Fig. 1"));
        catalog.Papers[0].Authors.Should().Equal("A. Author", "B. Author");
        catalog.Papers[0].AuthorLine.Should().Be("A. Author, B. Author");
        catalog.Papers[1].WhereToFind.Should().Be("arXiv:0000.00000");
    }

    [Theory]
    [InlineData("\"3.1\", \"figure\": null")]
    [InlineData("\"3.1\"")]
    public void A_claim_without_a_figure_says_null_or_leaves_it_out(string section)
    {
        var claim = ClaimCatalog.Load(Write(Claim(section: section))).Claims.Single();

        claim.Figure.Should().BeNull();
        claim.Citation.Should().Be(new ClaimSource("mode connectivity", "3.1", null));
    }

    [Theory]
    [InlineData("\"\", \"figure\": \"Fig. 1\"", "section", "*'section' is missing: where in the paper*")]
    [InlineData("\" \", \"figure\": \"Fig. 1\"", "section", "*'section' is missing*")]
    [InlineData("null, \"figure\": \"Fig. 1\"", "section", "*'section' is missing*")]
    [InlineData("\"3.1\", \"figure\": \"\"", "figure", "*'figure' is blank*or null when the paper shows none*")]
    [InlineData("\"3.1 \", \"figure\": null", "section", "*'section' '3.1 ' must be one line without surrounding blanks*")]
    [InlineData("\"3.1\", \"figure\": \"Fig. 4\\nFig. 5\"", "figure", "*'figure'*must be one line*")]
    [InlineData("\"000.txt (MC) - section 3.1\", \"figure\": null", "section", "*'section'*names a document file: the paper is the catalog's MC (000.txt)*")]
    [InlineData("\"3.1\", \"figure\": \"Fig. 4 of 001.txt\"", "figure", "*'figure'*names a document file*")]
    public void A_bad_section_or_figure_names_the_file_and_the_field(string section, string field, string message)
    {
        var act = () => ClaimCatalog.Load(Write(Claim(section: section)));

        act.Should().Throw<ClaimDefinitionException>().WithMessage("*MC-1.json*").WithMessage(message)
            .Which.Field.Should().Be(field);
    }

    [Fact]
    public void The_old_free_text_source_is_rejected_as_unknown()
    {
        var act = () => ClaimCatalog.Load(Write(Claim(section: "\"2\", \"source\": \"000.txt section 2\"")));

        act.Should().Throw<ClaimDefinitionException>().WithMessage("*MC-1.json*source*");
    }

    /// <summary>MC-3's parameters and paper values, for a landscape claim on a test experiment.</summary>
    private const string LandscapeParameters = """
        [ { "name": "robustValAccuracy", "value": 0.99, "reason": "r" }, { "name": "minBumpHeight", "value": 0.02, "reason": "r" },
          { "name": "peakTolerance", "value": 0.15, "reason": "r" }, { "name": "maxValErrorRise", "value": 0.02, "reason": "r" },
          { "name": "maxGradNormRatio", "value": 0.2, "reason": "r" } ]
        """;

    private const string LandscapePaper = """[ { "name": "train-error peak t", "value": 0.35 }, { "name": "gradient norm at point 1", "value": 0.75 } ]""";

    [Fact]
    public void A_landscape_claim_whose_robust_point_2_is_not_the_runs_snapshot_level_is_rejected_at_load()
    {
        string claim = Claim(analysis: "straight-segment-bump", tolerances: LandscapeParameters, paper: LandscapePaper);

        var act = () => ClaimCatalog.Load(Write(claim));

        act.Should().Throw<ClaimDefinitionException>()
            .WithMessage("*MC-1.json*'ruleParameters'*robustValAccuracy 0.99 must equal the experiment's Train:ValAccuracyThreshold (1)*'tiny'*");
    }

    [Fact]
    public void A_landscape_claim_at_the_runs_snapshot_level_loads_with_its_robust_point_2_group()
    {
        const string snapshots = """
            { "name": "snapshots", "description": "s", "options": { "Train": { "ValAccuracyThreshold": 0.99 }, "Population": { "Seeds": [0, 1, 2] } } }
            """;
        string claim = Claim(experiment: "snapshots", analysis: "straight-segment-bump", tolerances: LandscapeParameters, paper: LandscapePaper);

        var loaded = ClaimCatalog.Load(WithExperiment(Write(claim), snapshots)).Claims.Single();

        var limits = loaded.ParametersAs<StraightSegmentBump.Limits>();
        limits.Point2.RobustValAccuracy.Should().Be(0.99);
        limits.MinBump.Should().Be(0.02);
        limits.PaperPeakT.Should().Be(0.35);
    }

    [Theory]
    [InlineData("{ \"ci\": \"the paper setup costs 2 h here; p = 31 leaves the regime\" }", null)]
    [InlineData("{ \"paper\": \"too slow\" }", "*'undecidableAt.paper' names no profile that may be undecidable (allowed: smoke, ci*")]
    [InlineData("{ \"CI\": \"too slow\" }", "*'undecidableAt.CI' names no profile*")]
    [InlineData("{ \"ci\": \" \" }", "*'undecidableAt.ci' needs the measured reason*")]
    public void A_claim_may_be_undecidable_at_ci_with_its_measured_reason_but_never_at_paper(string undecidable, string? message)
    {
        var act = () => ClaimCatalog.Load(Write(Claim(baseline: $", \"undecidableAt\": {undecidable}")));

        if (message is null)
        {
            act().Claims[0].UndecidableAt.Should().ContainKey("ci");
        }
        else
        {
            act.Should().Throw<ClaimDefinitionException>().WithMessage("*MC-1.json*").WithMessage(message);
        }
    }

    [Fact]
    public void A_claim_undecidable_at_the_profile_is_inconclusive_with_its_reason_and_trains_nothing()
    {
        Grokking.Runtime.TorchRuntime.Initialize(Grokking.Runtime.DeviceChoice.Cpu);
        string dir = Write(Claim(baseline: ", \"undecidableAt\": { \"ci\": \"measured: 2 h per arm\" }"));
        var catalog = ClaimCatalog.Load(dir);
        string cache = Path.Combine(dir, "cache");
        var runner = new ClaimRunner(catalog, new RunCache(cache), Grokking.Configuration.Profile.Ci, TorchSharp.torch.CPU, Path.Combine(dir, "report"));

        var outcome = runner.Verify(catalog.Claims[0]);

        outcome.Verdict.Should().Be(Verdict.Inconclusive);
        outcome.Reason.Should().Contain("not decidable at ci").And.Contain("measured: 2 h per arm");
        outcome.Measured.Should().BeEmpty();
        runner.TrainedRuns(catalog.Claims[0]).Should().BeEmpty("background lanes must not train it either");
        Directory.Exists(cache).Should().BeFalse("nothing was trained");
    }

    [Fact]
    public void A_claim_undecidable_at_the_profile_whose_run_another_claim_trains_is_analyzed_on_it()
    {
        Grokking.Runtime.TorchRuntime.Initialize(Grokking.Runtime.DeviceChoice.Cpu);
        string dir = Write(Claim());
        File.WriteAllText(Path.Combine(dir, "MC-2.json"), Claim(id: "MC-2", baseline: ", \"undecidableAt\": { \"ci\": \"measured: too few fractions\" }"));
        var catalog = ClaimCatalog.Load(dir);
        var runner = new ClaimRunner(catalog, new RunCache(Path.Combine(dir, "cache")), Grokking.Configuration.Profile.Ci, TorchSharp.torch.CPU, Path.Combine(dir, "report"));
        var undecidable = catalog.Claims.Single(c => c.Id == "MC-2");

        var outcome = runner.Verify(undecidable);

        outcome.Verdict.Should().Be(Verdict.Inconclusive, "two epochs never memorize");
        outcome.Reason.Should().Contain("not decidable at ci (declared in the claim file; measured on the run(s) it shares with MC-1)")
            .And.Contain("Declared reason: measured: too few fractions");
        outcome.Measured.Should().NotBeEmpty("the shared run's numbers are reported");
        runner.TrainedRuns(undecidable).Select(r => r.Experiment).Should().Equal(["tiny"], "the lanes train the shared run once for both claims");
    }

    [Theory]
    [InlineData("{ \"ci\": \"measured: point 1 at 28-56 % validation accuracy, the paper's at 8-23 %\" }", null)]
    [InlineData("{ \"paper\": \"d 64\" }", "*'outOfRegimeAt.paper' names no profile that may be out of the paper's regime*")]
    [InlineData("{ \"ci\": \"\" }", "*'outOfRegimeAt.ci' needs the measured reason*")]
    public void A_claim_may_declare_its_ci_layer_out_of_the_papers_regime_with_the_measured_reason(string regime, string? message)
    {
        var act = () => ClaimCatalog.Load(Write(Claim(baseline: $", \"outOfRegimeAt\": {regime}")));

        if (message is null)
        {
            act().Claims[0].OutOfRegimeAt.Should().ContainKey("ci");
        }
        else
        {
            act.Should().Throw<ClaimDefinitionException>().WithMessage("*MC-1.json*").WithMessage(message);
        }
    }

    [Theory]
    [InlineData("{ \"ci\": \"the barrier 0.016 [-0.019, 0.050] straddles 0.02; 43 seeds would decide\" }", null)]
    [InlineData("{ \"paper\": \"straddles\" }", null)]
    [InlineData("{ \"gpu\": \"x\" }", "*'inconclusiveAt.gpu' names no profile*")]
    [InlineData("{ \"ci\": \" \" }", "*'inconclusiveAt.ci' needs the measured reason*")]
    public void A_claim_may_give_the_measured_reason_of_an_inconclusive_verdict(string reason, string? message)
    {
        var act = () => ClaimCatalog.Load(Write(Claim(baseline: $", \"inconclusiveAt\": {reason}")));

        if (message is null)
        {
            act().Claims[0].InconclusiveAt.Should().HaveCount(1);
        }
        else
        {
            act.Should().Throw<ClaimDefinitionException>().WithMessage("*MC-1.json*").WithMessage(message);
        }
    }

    [Fact]
    public void An_inconclusive_reason_cannot_repeat_a_profile_declared_undecidable()
    {
        string both = ", \"undecidableAt\": { \"ci\": \"2 h\" }, \"inconclusiveAt\": { \"ci\": \"straddles\" }";

        var act = () => ClaimCatalog.Load(Write(Claim(baseline: both)));

        act.Should().Throw<ClaimDefinitionException>().WithMessage("*'inconclusiveAt.ci' is also declared in undecidableAt*");
    }

    [Fact]
    public void A_profile_cannot_be_both_undecidable_and_out_of_regime()
    {
        string both = ", \"undecidableAt\": { \"ci\": \"2 h\" }, \"outOfRegimeAt\": { \"ci\": \"d 64\" }";

        var act = () => ClaimCatalog.Load(Write(Claim(baseline: both)));

        act.Should().Throw<ClaimDefinitionException>().WithMessage("*'outOfRegimeAt.ci' is also declared in undecidableAt*");
    }

    [Fact]
    public void A_claim_out_of_regime_at_the_profile_trains_and_reports_its_numbers_but_is_inconclusive()
    {
        Grokking.Runtime.TorchRuntime.Initialize(Grokking.Runtime.DeviceChoice.Cpu);
        string dir = Write(Claim(baseline: ", \"outOfRegimeAt\": { \"ci\": \"measured: d 64 memorizes less\" }"));
        var catalog = ClaimCatalog.Load(dir);
        var runner = new ClaimRunner(catalog, new RunCache(Path.Combine(dir, "cache")), Grokking.Configuration.Profile.Ci, TorchSharp.torch.CPU, Path.Combine(dir, "report"));

        var outcome = runner.Verify(catalog.Claims[0]);

        outcome.Verdict.Should().Be(Verdict.Inconclusive);
        outcome.Reason.Should().StartWith("out of the paper's regime at ci (declared in the claim file), so not decided here; the rule measured ")
            .And.EndWith("Declared reason: measured: d 64 memorizes less");
        outcome.Measured.Should().NotBeEmpty("the run's numbers are reported");
        runner.TrainedRuns(catalog.Claims[0]).Select(r => r.Experiment).Should().Equal(["tiny"]);
    }

    [Theory]
    [InlineData(Verdict.Confirmed, "CONFIRMED")]
    [InlineData(Verdict.Refuted, "REFUTED")]
    public void A_decisive_result_out_of_regime_becomes_inconclusive_and_keeps_what_the_rule_found(Verdict measured, string badge)
    {
        var comparison = Grokking.Claims.Toolkit.Thresholds.Typical(new Quantity("ratio", "end / start"), [0.1, 0.12, 0.11], Relation.AtMost, 0.2);
        var result = new Grokking.Claims.Analyses.AnalysisResult(measured, "ratio 0.11 <= 0.2", [], []) { Comparisons = [comparison] };

        var declared = ClaimRunner.OutOfRegime(result, Grokking.Configuration.Profile.Ci, "d 64 is another regime");

        declared.Verdict.Should().Be(Verdict.Inconclusive);
        declared.Reason.Should().Be($"out of the paper's regime at ci (declared in the claim file), so not decided here; the rule measured {badge}: "
            + "ratio 0.11 <= 0.2. Declared reason: d 64 is another regime");
        declared.Comparisons.Should().Equal([comparison], "the measured comparison stays in the record");
    }

    [Theory]
    [InlineData(Verdict.Inconclusive, "barrier straddles 0.02. Measured reason at ci (claim file): 43 seeds would decide")]
    [InlineData(Verdict.Confirmed, "barrier straddles 0.02")]
    [InlineData(Verdict.Refuted, "barrier straddles 0.02")]
    public void The_files_measured_reason_is_appended_to_an_inconclusive_result_only(Verdict verdict, string reason)
    {
        var result = new Grokking.Claims.Analyses.AnalysisResult(verdict, "barrier straddles 0.02", [], []);

        ClaimRunner.WithRecordedReason(result, Grokking.Configuration.Profile.Ci, "43 seeds would decide").Should().Be(result with { Reason = reason });
    }

    [Theory]
    [InlineData("{ \"papers\": [], \"baselineTolerance\": { \"relative\": 0.1, \"absolute\": 0, \"reason\": \"r\" } }", "*catalog.json*'papers' is empty*")]
    [InlineData("{ \"papers\": [ { \"prefix\": \"MC\", \"document\": \"000.txt\", \"title\": \"t\", \"authors\": [\"a\"], \"whereToFind\": \"w\" } ] }", "*catalog.json*'baselineTolerance' is missing*")]
    public void A_bad_catalog_names_the_file_and_the_field(string catalog, string message)
    {
        var act = () => ClaimCatalog.Load(Write(Claim(), catalog: catalog));

        act.Should().Throw<ClaimDefinitionException>().WithMessage(message);
    }

    [Theory]
    [InlineData("\"document\": \"000.txt\", \"authors\": [\"a\"], \"whereToFind\": \"w\"", "papers.MC.title", "is missing: the paper's title*")]
    [InlineData("\"document\": \"000.txt\", \"title\": \" \", \"authors\": [\"a\"], \"whereToFind\": \"w\"", "papers.MC.title", "is missing*")]
    [InlineData("\"document\": \"000.txt\", \"title\": \"t\", \"whereToFind\": \"w\"", "papers.MC.authors", "is missing or has a blank entry*")]
    [InlineData("\"document\": \"000.txt\", \"title\": \"t\", \"authors\": [], \"whereToFind\": \"w\"", "papers.MC.authors", "is missing*")]
    [InlineData("\"document\": \"000.txt\", \"title\": \"t\", \"authors\": [\"a\", \"\"], \"whereToFind\": \"w\"", "papers.MC.authors", "*blank entry*")]
    [InlineData("\"document\": \"000.txt\", \"title\": \"t\", \"authors\": [\"a\"]", "papers.MC.whereToFind", "is missing: where a reader finds the paper*")]
    [InlineData("\"document\": \"000.txt\", \"title\": \"t\", \"authors\": [\"a\"], \"whereToFind\": \"\"", "papers.MC.whereToFind", "is missing*")]
    [InlineData("\"title\": \"t\", \"authors\": [\"a\"], \"whereToFind\": \"w\"", "papers.MC", "needs an upper-case prefix and a document*")]
    public void A_paper_without_title_authors_or_address_names_the_file_and_the_field(string fields, string field, string problem)
    {
        string catalog = $$"""
            { "papers": [ { "prefix": "MC", {{fields}} } ], "baselineTolerance": { "relative": 0.1, "absolute": 0, "reason": "r" } }
            """;

        var act = () => ClaimCatalog.Load(Write(Claim(), catalog: catalog));

        act.Should().Throw<ClaimDefinitionException>().WithMessage($"*catalog.json: '{field}' {problem}")
            .Which.Field.Should().Be(field);
    }

    [Fact]
    public void A_paper_without_a_prefix_is_named_by_its_position()
    {
        string catalog = """
            { "papers": [ { "document": "000.txt", "title": "t", "authors": ["a"], "whereToFind": "w" } ], "baselineTolerance": { "relative": 0.1, "absolute": 0, "reason": "r" } }
            """;

        var act = () => ClaimCatalog.Load(Write(Claim(), catalog: catalog));

        act.Should().Throw<ClaimDefinitionException>().WithMessage("*catalog.json: 'papers.0' needs an upper-case prefix*");
    }

    [Fact]
    public void An_unknown_field_is_rejected()
    {
        var act = () => ClaimCatalog.Load(Write(Claim().Replace("\"title\"", "\"titel\"", StringComparison.Ordinal)));

        act.Should().Throw<ClaimDefinitionException>().WithMessage("*MC-1.json*titel*");
    }

    [Fact]
    public void Selecting_by_pattern_and_rejecting_an_unmatched_pattern()
    {
        var catalog = ClaimCatalog.Load(Write(Claim()));

        catalog.Select(["MC-*"]).Should().HaveCount(1);
        var act = () => catalog.Select(["PB-*"]);
        act.Should().Throw<Grokking.Configuration.OptionsException>().WithMessage("*PB-**");
    }

    [Theory]
    [InlineData("MC-1", "NOPE")]
    [InlineData("MC-*", "PB-*")]
    [InlineData("MC-1", "")]
    public void A_selection_fails_closed_when_any_pattern_matches_no_claim(string good, string bad)
    {
        var catalog = ClaimCatalog.Load(Write(Claim()));

        var act = () => catalog.Select([good, bad]);

        act.Should().Throw<Grokking.Configuration.OptionsException>()
            .WithMessage($"Invalid value for '--claims': no claim matches '{bad}'; known: MC-1")
            .Which.Key.Should().Be("--claims");
    }

    // ---------------------------------------------------------------- extends

    /// <summary>A base with choices and a ci layer, and a variant of it with two layers (cf. pb-layernorm-2).</summary>
    private const string BaseExperiment = """
        { "name": "base", "description": "b", "options": { "Model": { "Norm": "layernorm", "DModel": 64 }, "Optimizer": { "WeightDecay": 0.01 }, "Population": { "Seeds": [0, 1, 2] } },
          "profiles": { "ci": { "Train": { "Epochs": 7, "BatchSize": 128 }, "Data": { "Modulus": 11 } }, "paper": { "Train": { "Epochs": 9000 } } },
          "choices": [ "base choice one", "base choice two" ] }
        """;

    private const string DerivedExperiment = """
        { "name": "derived", "extends": "base", "description": "d", "options": { "Model": { "Layers": 2 } }, "choices": [ "two layers" ] }
        """;

    private static string Settings(Grokking.Configuration.GrokkingOptions o) =>
        System.Text.Json.JsonSerializer.Serialize(new { o.Profile, o.Data, o.Model, o.Optimizer, o.Train, o.Population, o.Landscape });

    [Fact]
    public void An_extending_experiment_resolves_to_its_base_plus_its_own_change()
    {
        var catalog = ClaimCatalog.Load(WithExperiment(WithExperiment(Write(Claim()), BaseExperiment), DerivedExperiment));
        var @base = catalog.Experiments["base"];
        var derived = catalog.Experiments["derived"];

        var baseCi = ExperimentResolver.Resolve(@base, Grokking.Configuration.Profile.Ci);
        var derivedCi = ExperimentResolver.Resolve(derived, Grokking.Configuration.Profile.Ci);

        derived.Base.Should().BeSameAs(@base);
        derivedCi.Model.Layers.Should().Be(2);
        baseCi.Model.Layers.Should().Be(1, "the base keeps the default depth");
        derivedCi.Model.Norm.Should().Be(Grokking.Configuration.Normalization.LayerNorm);
        derivedCi.Model.DModel.Should().Be(64);
        derivedCi.Train.Epochs.Should().Be(7, "the base's ci layer applies to the variant");
        derivedCi.Data.Modulus.Should().Be(11);
        derivedCi.Population.Seeds.Should().Equal(0, 1, 2);
        baseCi.Model.Layers = 2;
        Settings(derivedCi).Should().Be(Settings(baseCi), "depth is the only difference");
        ExperimentResolver.Resolve(derived, Grokking.Configuration.Profile.Paper).Train.Epochs.Should().Be(9000);
        derived.AllChoices.Should().Equal("base choice one", "base choice two", "two layers");
        @base.AllChoices.Should().Equal("base choice one", "base choice two");
    }

    [Fact]
    public void Layers_go_base_options_own_options_base_profile_own_profile()
    {
        const string variant = """
            { "name": "variant", "extends": "base", "description": "v", "options": { "Train": { "Epochs": 50, "MetricsEvery": 3 }, "Optimizer": { "WeightDecay": 0.5 } },
              "profiles": { "ci": { "Train": { "BatchSize": 32 } } } }
            """;
        var catalog = ClaimCatalog.Load(WithExperiment(WithExperiment(Write(Claim()), BaseExperiment), variant));

        var ci = ExperimentResolver.Resolve(catalog.Experiments["variant"], Grokking.Configuration.Profile.Ci);
        var smoke = ExperimentResolver.Resolve(catalog.Experiments["variant"], Grokking.Configuration.Profile.Smoke);

        ci.Optimizer.WeightDecay.Should().Be(0.5, "own options go over the base's options");
        ci.Train.Epochs.Should().Be(7, "the base's profile layer goes over the variant's options");
        ci.Train.MetricsEvery.Should().Be(3, "what the base's profile layer does not set stays the variant's");
        ci.Train.BatchSize.Should().Be(32, "the variant's profile layer goes last");
        smoke.Train.Epochs.Should().Be(50, "without a profile layer the variant's options hold");
        catalog.Experiments["variant"].AllChoices.Should().Equal("base choice one", "base choice two");
    }

    [Fact]
    public void An_unknown_base_names_extends()
    {
        const string orphan = """{ "name": "orphan", "extends": "nowhere", "description": "o" }""";

        var act = () => ClaimCatalog.Load(WithExperiment(Write(Claim()), orphan));

        act.Should().Throw<ClaimDefinitionException>().WithMessage("*orphan.json*'extends'*'nowhere' is unknown*")
            .Which.Field.Should().Be("extends");
    }

    [Fact]
    public void A_cycle_of_extends_is_rejected()
    {
        string dir = Write(Claim());
        WithExperiment(dir, """{ "name": "a", "extends": "b", "description": "a" }""");
        WithExperiment(dir, """{ "name": "b", "extends": "a", "description": "b" }""");

        var act = () => ClaimCatalog.Load(dir);

        act.Should().Throw<ClaimDefinitionException>().WithMessage("*'extends'*cycle*")
            .Which.Field.Should().Be("extends");
    }

    [Fact]
    public void An_experiment_extending_itself_is_a_cycle()
    {
        var act = () => ClaimCatalog.Load(WithExperiment(Write(Claim()), """{ "name": "self", "extends": "self", "description": "s" }"""));

        act.Should().Throw<ClaimDefinitionException>().WithMessage("*self.json*'extends'*cycle*");
    }

    [Theory]
    [InlineData("1")]
    [InlineData("huge")]
    public void An_experiment_profile_key_that_names_no_profile_is_rejected(string key)
    {
        // "1" is the case Enum.TryParse would let through: it parses numbers as well as names.
        string odd = $$"""{ "name": "odd", "description": "o", "profiles": { "{{key}}": { "Train": { "Epochs": 3 } } } }""";

        var act = () => ClaimCatalog.Load(WithExperiment(Write(Claim()), odd));

        act.Should().Throw<ClaimDefinitionException>()
            .WithMessage($"*odd.json*'profiles.{key}' is not a profile; allowed: smoke, ci, paper*")
            .Which.Field.Should().Be($"profiles.{key}");
    }

    [Theory]
    [InlineData("huge", "1.5")]
    [InlineData("paper", "-1")]
    public void A_projected_cost_needs_a_profile_and_minutes_that_are_not_negative(string key, string minutes)
    {
        string cost = $$"""{ "cpuMinutes": {{minutes}}, "rooflineMinutes": 1, "steps": 10, "earlyStop": false, "sampledMembers": 1, "measured": "d", "engine": "e", "device": "cpu" }""";
        string odd = $$"""{ "name": "odd", "description": "o", "projected": { "{{key}}": {{cost}} } }""";

        var act = () => ClaimCatalog.Load(WithExperiment(Write(Claim()), odd));

        act.Should().Throw<ClaimDefinitionException>().WithMessage("*odd.json*")
            .Which.Field.Should().Be($"projected.{key}");
    }

    [Theory]
    [InlineData("""{ "name": "Bad Name", "choice": "c", "reason": "r", "layers": { "ci": { "Train": { "Epochs": 3 } } } }""", "variants[0].name")]
    [InlineData("""{ "name": "a", "choice": "", "reason": "r", "layers": { "ci": { "Train": { "Epochs": 3 } } } }""", "variants[0].choice")]
    [InlineData("""{ "name": "a", "choice": "c", "reason": " ", "layers": { "ci": { "Train": { "Epochs": 3 } } } }""", "variants[0].reason")]
    [InlineData("""{ "name": "a", "choice": "c", "reason": "r", "layers": {} }""", "variants[0].layers")]
    [InlineData("""{ "name": "a", "choice": "c", "reason": "r", "layers": { "huge": { "Train": { "Epochs": 3 } } } }""", "variants[0].layers.huge")]
    [InlineData("""{ "name": "a", "choice": "c", "reason": "r", "layers": { "ci": {} } }""", "variants[0].layers.ci")]
    [InlineData("""{ "name": "a", "choice": "c", "reason": "r", "layers": { "ci": { "Train": { "Epochz": 3 } } } }""", "variants[0].layers.ci")]
    public void A_variant_is_named_explained_and_resolves_at_each_profile_it_declares(string variant, string field)
    {
        string odd = $$"""{ "name": "odd", "description": "o", "variants": [ {{variant}} ] }""";

        var act = () => ClaimCatalog.Load(WithExperiment(Write(Claim()), odd));

        act.Should().Throw<ClaimDefinitionException>().WithMessage("*odd.json*").Which.Field.Should().Be(field);
    }

    [Fact]
    public void A_variant_name_is_declared_once_per_experiment()
    {
        const string Variant = """{ "name": "a", "choice": "c", "reason": "r", "layers": { "ci": { "Train": { "Epochs": 3 } } } }""";
        string twice = $$"""{ "name": "odd", "description": "o", "variants": [ {{Variant}}, {{Variant}} ] }""";

        var act = () => ClaimCatalog.Load(WithExperiment(Write(Claim()), twice));

        act.Should().Throw<ClaimDefinitionException>().WithMessage("*'a' is declared twice*").Which.Field.Should().Be("variants[1].name");
    }

    [Fact]
    public void An_experiment_profile_key_is_read_ignoring_case()
    {
        const string upper = """{ "name": "upper", "description": "u", "profiles": { "CI": { "Train": { "Epochs": 3 } } } }""";

        var catalog = ClaimCatalog.Load(WithExperiment(Write(Claim()), upper));

        ExperimentResolver.Resolve(catalog.Experiments["upper"], Grokking.Configuration.Profile.Ci).Train.Epochs.Should().Be(3);
    }

    // ---------------------------------------------------------------- companions

    [Fact]
    public void A_claim_with_a_valid_companion_loads_it()
    {
        string tinyTwo = """{ "name": "tiny-2", "extends": "tiny", "description": "two layers", "options": { "Model": { "Layers": 2 } } }""";

        var catalog = ClaimCatalog.Load(WithExperiment(Write(Claim(companions: """["tiny-2"]""")), tinyTwo));

        catalog.Claims.Single().Companions.Should().Equal("tiny-2");
        catalog.Claims.Single().Experiment.Should().Be("tiny");
    }

    [Fact]
    public void A_claim_without_companions_has_none()
    {
        ClaimCatalog.Load(Write(Claim())).Claims.Single().Companions.Should().BeEmpty();
    }

    [Theory]
    [InlineData("""["nope"]""", "nope")]
    [InlineData("""["tiny"]""", "tiny")]
    public void An_unknown_companion_or_the_claims_own_experiment_names_companions(string companions, string named)
    {
        var act = () => ClaimCatalog.Load(Write(Claim(companions: companions)));

        act.Should().Throw<ClaimDefinitionException>().WithMessage($"*MC-1.json*'companions'*'{named}' is unknown or the claim's own experiment*")
            .Which.Field.Should().Be("companions");
    }

    [Fact]
    public void A_companion_must_run_the_claims_seeds()
    {
        string other = """{ "name": "other", "description": "o", "options": { "Population": { "Seeds": [5, 6, 7] } } }""";

        var act = () => ClaimCatalog.Load(WithExperiment(Write(Claim(companions: """["other"]""")), other));

        act.Should().Throw<ClaimDefinitionException>().WithMessage("*MC-1.json*'seeds' includes seeds the experiment 'other' does not run*");
    }

    [Fact]
    public void The_repository_claims_all_load()
    {
        var catalog = ClaimCatalog.Load(Path.Combine(RepositoryLocator.Find(), "claims"));

        catalog.Claims.Select(c => c.Id).Should().Contain(["MC-1", "MC-2"]);
        catalog.Papers.Select(p => p.Prefix).Should().Equal("MC", "PB", "GV", "OG", "PG");
        catalog.Papers.Should().OnlyContain(p => p.Title.Length > 0 && p.Authors.Count > 0 && p.WhereToFind.Length > 0);
        catalog.Claims.Should().OnlyContain(c => c.Section.Length > 0 && c.CatalogPaper != null && c.CatalogPaper.Title.Length > 0);
    }
}
