using Grokking.Claims;
using Grokking.Tests.Unit.Engine;

namespace Grokking.Tests.Unit.Claims;

public class ClaimCatalogIndexTests
{
    private const string Catalog = """
        { "papers": [
            { "prefix": "MC", "document": "000.txt", "title": "Mode | connectivity", "authors": ["A. One", "B. Two"], "whereToFind": "Preprint; no address given" },
            { "prefix": "PB", "document": "001.txt", "title": "Periodic", "authors": ["C. Three"], "whereToFind": "arXiv:0000.00000" } ],
          "baselineTolerance": { "relative": 0.1, "absolute": 0.02, "reason": "rounding across CPUs" } }
        """;

    [Fact]
    public void The_committed_claims_index_is_the_generated_one()
    {
        string claims = Path.Combine(RepositoryLocator.Find(), "claims");
        string file = Path.Combine(claims, CatalogIndex.FileName);
        string generated = CatalogIndex.Markdown(ClaimCatalog.Load(claims));
        if (Environment.GetEnvironmentVariable(CatalogIndex.WriteVariable) == "1")
        {
            File.WriteAllText(file, generated);
        }

        string committed = File.Exists(file) ? File.ReadAllText(file).ReplaceLineEndings("\n") : "(missing)";

        committed.Should().Be(generated,
            $"claims/{CatalogIndex.FileName} is generated from claims/*.json; regenerate it with ./grokking baselines accept (or "
            + $"{CatalogIndex.WriteVariable}=1 dotnet test tests/Unit --filter FullyQualifiedName~ClaimCatalogIndex) and commit it");
    }

    [Fact]
    public void The_index_lists_every_paper_and_every_claim_with_section_and_figure()
    {
        string dir = Path.Combine(Path.GetTempPath(), "grokking-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path.Combine(dir, "experiments"));
        File.WriteAllText(Path.Combine(dir, "catalog.json"), Catalog);
        File.WriteAllText(Path.Combine(dir, "experiments", "tiny.json"), """
            { "name": "tiny", "description": "test", "options": { "Population": { "Seeds": [0, 1, 2] } }, "choices": [] }
            """);
        File.WriteAllText(Path.Combine(dir, "MC-1.json"), """
            {
              "id": "MC-1", "title": "Memorization then generalization", "section": "2, 4", "figure": "Fig. 1, Fig. 4", "statement": "s",
              "paper": [ { "name": "point 1", "value": 585, "unit": "epoch" }, { "name": "point 2", "value": 2402, "unit": "epoch" } ],
              "experiment": "tiny", "analysis": "memorization-then-generalization",
              "ruleParameters": [ { "name": "maxValAccuracyAtPoint1", "value": 0.1, "reason": "r" }, { "name": "minDelayRatio", "value": 2, "reason": "r" }, { "name": "robustValAccuracy", "value": 0.99, "reason": "r" } ],
              "decision": "d", "seedCombination": "every-seed",
              "scope": { "kind": "typical", "reason": "the paper describes the usual run" },
              "control": { "name": "validation-as-train", "description": "d", "expect": "refuted", "reason": "r" }
            }
            """);
        File.WriteAllText(Path.Combine(dir, "MC-2.json"), File.ReadAllText(Path.Combine(dir, "MC-1.json"))
            .Replace("\"MC-1\"", "\"MC-2\"", StringComparison.Ordinal)
            .Replace("\"kind\": \"typical\"", "\"kind\": \"universal\"", StringComparison.Ordinal));

        string md = CatalogIndex.Markdown(ClaimCatalog.Load(dir));

        md.Should().Contain("| MC | Mode \\| connectivity | A. One, B. Two | Preprint; no address given | `000.txt` |\n", "a pipe in a cell is escaped")
            .And.Contain("| PB | Periodic | C. Three | arXiv:0000.00000 | `001.txt` |\n")
            .And.Contain("### MC — Mode \\| connectivity\n\n| Claim | Title | Section | Figure | Scope | Negative control |\n|---|---|---|---|---|---|\n"
                + "| [MC-1](MC-1.json) | Memorization then generalization | 2, 4 | Fig. 1, Fig. 4 | typical | validation-as-train |\n"
                + "| [MC-2](MC-2.json) | Memorization then generalization | 2, 4 | Fig. 1, Fig. 4 | universal | validation-as-train |\n")
            .And.Contain("### PB — Periodic\n\nNo claims yet.\n")
            .And.NotContain("\r");
    }

    [Fact]
    public void A_claims_scope_and_control_fill_their_columns()
    {
        var claim = new Grokking.Claims.Contracts.ClaimDefinition
        {
            Title = "t", Section = "2", Figure = null,
            Scope = new() { Kind = "universal", Reason = "always" },
            Control = new() { Name = "weight-decay-members", Description = "d", Expect = "refuted", Reason = "r" },
        };

        CatalogIndex.ClaimCells(claim).Should().Equal("t", "2", "—", "universal", "weight-decay-members");
    }

    [Fact]
    public void Refresh_writes_the_index_only_when_it_is_stale()
    {
        string dir = Path.Combine(Path.GetTempPath(), "grokking-index-" + Guid.NewGuid().ToString("N"));
        string claims = Path.Combine(RepositoryLocator.Find(), "claims");
        EngineFixtures.CopyDirectory(claims, dir);
        try
        {
            string file = Path.Combine(dir, CatalogIndex.FileName);
            File.WriteAllText(file, "stale");

            CatalogIndex.Refresh(dir).Should().BeTrue("a stale index is rewritten");
            File.ReadAllText(file).Should().Be(CatalogIndex.Markdown(ClaimCatalog.Load(dir)));
            CatalogIndex.Refresh(dir).Should().BeFalse("a current index is left alone");
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
