using Grokking.Claims;
using Grokking.Claims.Contracts;

namespace Grokking.Tests.Unit.Claims;

public class ClaimCatalogTests
{
    private const string Experiment = """
        { "name": "tiny", "description": "test", "options": { "Population": { "Seeds": [0, 1, 2] } }, "profiles": { "ci": { "Train": { "Epochs": 2 } } }, "choices": [] }
        """;

    private const string Catalog = """
        { "papers": [ { "prefix": "MC", "document": "000.txt", "title": "mode connectivity" }, { "prefix": "PB", "document": "001.txt", "title": "periodic" } ],
          "baseline": { "relative": 0.1, "absolute": 0.02, "reason": "rounding across CPUs" } }
        """;

    private static string Claim(string id = "MC-1", string experiment = "tiny", string analysis = "memorization-then-generalization", string tolerances = """
        [ { "name": "maxValAccuracyAtPoint1", "value": 0.1, "reason": "chance is 1%" }, { "name": "minDelayRatio", "value": 2, "reason": "much later" }, { "name": "robustValAccuracy", "value": 0.99, "reason": "one pair decides 100%" } ]
        """, string seeds = "[0, 1, 2]", string source = "000.txt section 2", string members = "{}", string baseline = "", string paper = Paper) => $$"""
        {
          "id": "{{id}}", "title": "t", "source": "{{source}}", "statement": "s", "paper": {{paper}},
          "experiment": "{{experiment}}", "analysis": "{{analysis}}", "tolerances": {{tolerances}}, "members": {{members}},
          "decision": "d", "seeds": {{seeds}}, "seedCombination": "every seed"{{baseline}}
        }
        """;

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

    [Fact]
    public void A_valid_claim_loads_with_its_experiment()
    {
        var catalog = ClaimCatalog.Load(Write(Claim()));

        catalog.Claims.Should().ContainSingle(c => c.Id == "MC-1");
        catalog.Experiments.Should().ContainKey("tiny");
        catalog.Claims[0].ToleranceOf("minDelayRatio").Should().Be(2);
        catalog.Claims[0].Baseline!.Reason.Should().Be("rounding across CPUs", "a claim without a baseline block takes the catalog's");
        catalog.Papers.Select(p => p.Prefix).Should().Equal("MC", "PB");
    }

    [Fact]
    public void A_claim_may_override_the_baseline_with_a_reason()
    {
        var catalog = ClaimCatalog.Load(Write(Claim(baseline: """, "baseline": { "relative": 0.3, "absolute": 0, "reason": "chaotic" }""")));

        catalog.Claims[0].Baseline!.Relative.Should().Be(0.3);
    }

    [Fact]
    public void Claims_are_ordered_by_paper_then_number()
    {
        string dir = Write(Claim(id: "PB-1", source: "001.txt"), fileId: "PB-1");
        File.WriteAllText(Path.Combine(dir, "MC-10.json"), Claim(id: "MC-10"));
        File.WriteAllText(Path.Combine(dir, "MC-2.json"), Claim(id: "MC-2"));

        ClaimCatalog.Load(dir).Claims.Select(c => c.Id).Should().Equal("MC-2", "MC-10", "PB-1");
    }

    [Theory]
    [InlineData("experiment", "nope", "*'experiment'*'nope' is unknown*")]
    [InlineData("analysis", "nope", "*'analysis'*'nope' is unknown*")]
    [InlineData("tolerances", "[ { \"name\": \"minDelayRatio\", \"value\": 2, \"reason\": \"x\" } ]", "*'tolerances.maxValAccuracyAtPoint1' is missing*")]
    [InlineData("tolerances", "[ { \"name\": \"maxValAccuracyAtPoint1\", \"value\": 0.1, \"reason\": \"\" }, { \"name\": \"minDelayRatio\", \"value\": 2, \"reason\": \"x\" }, { \"name\": \"robustValAccuracy\", \"value\": 0.99, \"reason\": \"x\" } ]", "*reason' is missing*")]
    [InlineData("seeds", "[0, 7]", "*'seeds' includes seeds the experiment*")]
    [InlineData("id", "XY-1", "*'id'*'XY-1' is not a catalog id*MC, PB*")]
    [InlineData("source", "001.txt section 2", "*'source' must start with the document of MC (000.txt)*")]
    [InlineData("members", "{ \"weightDecay\": 0.5 }", "*'members' matches no member of experiment 'tiny' in profile*")]
    [InlineData("paper", "[ { \"name\": \"point 1\", \"value\": 585 } ]", "*'paper.point 2' is missing*")]
    public void A_bad_claim_names_the_file_and_the_field(string field, string value, string message)
    {
        string json = field switch
        {
            "experiment" => Claim(experiment: value),
            "analysis" => Claim(analysis: value),
            "tolerances" => Claim(tolerances: value),
            "id" => Claim(id: value),
            "source" => Claim(source: value),
            "members" => Claim(members: value),
            "paper" => Claim(paper: value),
            _ => Claim(seeds: value),
        };

        var act = () => ClaimCatalog.Load(Write(json));

        act.Should().Throw<ClaimDefinitionException>().WithMessage("*MC-1.json*").WithMessage(message);
    }

    [Theory]
    [InlineData("{ \"papers\": [], \"baseline\": { \"relative\": 0.1, \"absolute\": 0, \"reason\": \"r\" } }", "*catalog.json*'papers' is empty*")]
    [InlineData("{ \"papers\": [ { \"prefix\": \"MC\", \"document\": \"000.txt\", \"title\": \"t\" } ] }", "*catalog.json*'baseline' is missing*")]
    public void A_bad_catalog_names_the_file_and_the_field(string catalog, string message)
    {
        var act = () => ClaimCatalog.Load(Write(Claim(), catalog: catalog));

        act.Should().Throw<ClaimDefinitionException>().WithMessage(message);
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

    [Fact]
    public void The_repository_claims_all_load()
    {
        var catalog = ClaimCatalog.Load(Path.Combine(RepositoryLocator.Find(), "claims"));

        catalog.Claims.Select(c => c.Id).Should().Contain(["MC-1", "MC-2"]);
    }
}
