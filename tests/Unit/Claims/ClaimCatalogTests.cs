using Grokking.Claims;
using Grokking.Claims.Contracts;

namespace Grokking.Tests.Unit.Claims;

public class ClaimCatalogTests
{
    private const string Experiment = """
        { "name": "tiny", "description": "test", "options": { "Population": { "Seeds": [0, 1, 2] } }, "profiles": { "ci": { "Train": { "Epochs": 2 } } }, "choices": [] }
        """;

    private static string Claim(string id = "MC-1", string experiment = "tiny", string analysis = "memorization-then-generalization", string tolerances = """
        [ { "name": "maxValAccuracyAtPoint1", "value": 0.1, "reason": "chance is 1%" }, { "name": "minDelayRatio", "value": 2, "reason": "much later" }, { "name": "robustValAccuracy", "value": 0.99, "reason": "one pair decides 100%" } ]
        """, string seeds = "[0, 1, 2]") => $$"""
        {
          "id": "{{id}}", "title": "t", "source": "000.txt", "statement": "s", "paper": [],
          "experiment": "{{experiment}}", "analysis": "{{analysis}}", "tolerances": {{tolerances}},
          "decision": "d", "seeds": {{seeds}}, "seedCombination": "every seed",
          "baseline": { "relative": 0.1, "absolute": 0, "reason": "r" }
        }
        """;

    private static string Write(string claimJson, string fileId = "MC-1")
    {
        string dir = Path.Combine(Path.GetTempPath(), "grokking-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path.Combine(dir, "experiments"));
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
    }

    [Theory]
    [InlineData("experiment", "nope", "*'experiment'*'nope' is unknown*")]
    [InlineData("analysis", "nope", "*'analysis'*'nope' is unknown*")]
    [InlineData("tolerances", "[ { \"name\": \"minDelayRatio\", \"value\": 2, \"reason\": \"x\" } ]", "*'tolerances.maxValAccuracyAtPoint1' is missing*")]
    [InlineData("tolerances", "[ { \"name\": \"maxValAccuracyAtPoint1\", \"value\": 0.1, \"reason\": \"\" }, { \"name\": \"minDelayRatio\", \"value\": 2, \"reason\": \"x\" }, { \"name\": \"robustValAccuracy\", \"value\": 0.99, \"reason\": \"x\" } ]", "*reason' is missing*")]
    [InlineData("seeds", "[0, 7]", "*'seeds' includes seeds the experiment*")]
    public void A_bad_claim_names_the_file_and_the_field(string field, string value, string message)
    {
        string json = field switch
        {
            "experiment" => Claim(experiment: value),
            "analysis" => Claim(analysis: value),
            "tolerances" => Claim(tolerances: value),
            _ => Claim(seeds: value),
        };

        var act = () => ClaimCatalog.Load(Write(json));

        act.Should().Throw<ClaimDefinitionException>().WithMessage("*MC-1.json*").WithMessage(message);
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
