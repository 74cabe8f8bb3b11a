using System.Text.Json;
using System.Text.Json.Serialization;
using Grokking.Claims.Contracts;
using Grokking.Report;

namespace Grokking.Tests.Unit.Report;

public sealed class JsonReportRendererTests
{
    // What a tool reading report.json needs: camelCase names, enums as strings, NaN as a named literal.
    private static readonly JsonSerializerOptions ReaderOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    [Fact]
    public void Round_trips_verdicts_measured_values_and_divergences()
    {
        string json = JsonReportRenderer.Render(ReportFixtures.Document());

        var read = JsonSerializer.Deserialize<ReportFile>(json, ReaderOptions)!;

        read.Environment.Should().BeEquivalentTo(ReportFixtures.Environment, "a record holding a list compares it by reference");
        read.Summary.Should().Be(new ReportCounts(Confirmed: 1, Refuted: 1, Inconclusive: 0, Error: 0, DataMissing: 0));
        read.Claims.Select(c => c.Verdict).Should().Equal(Verdict.Confirmed, Verdict.Refuted);
        read.Claims.Should().BeEquivalentTo(ReportFixtures.Outcomes, o => o.WithStrictOrdering());
        read.Claims[0].Comparisons.Should().HaveCount(2);
        read.Claims[0].Control!.Verdict.Should().Be(Verdict.Refuted);
        read.Claims[0].Scope.Should().Be(ClaimScope.Universal);
        double.IsNaN(read.Claims[1].Measured[0].Value).Should().BeTrue();
    }

    [Fact]
    public void Writes_only_schema_version_environment_summary_controls_claims_agreement_and_variants()
    {
        using var document = JsonDocument.Parse(JsonReportRenderer.Render(ReportFixtures.Document()));

        document.RootElement.EnumerateObject().Select(p => p.Name).Should().Equal("schemaVersion", "environment", "summary", "controls", "claims", "agreement", "variants");
        document.RootElement.GetProperty("controls").GetProperty("refuted").GetInt32().Should().Be(1);
        document.RootElement.GetProperty("controls").GetProperty("missing").GetInt32().Should().Be(1);
        document.RootElement.GetProperty("claims")[0].GetProperty("verdict").GetString().Should().Be("confirmed");
    }

    [Fact]
    public void Writes_each_claims_source_as_paper_section_and_figure()
    {
        using var document = JsonDocument.Parse(JsonReportRenderer.Render(ReportFixtures.Document()));
        var claims = document.RootElement.GetProperty("claims");

        var source = claims[0].GetProperty("source");
        source.EnumerateObject().Select(p => p.Name).Should().Equal("paper", "section", "figure");
        source.GetProperty("paper").GetString().Should().Be("Grokking: Generalization beyond overfitting on small algorithmic datasets");
        source.GetProperty("section").GetString().Should().Be("3.1");
        source.GetProperty("figure").GetString().Should().Be("Fig. 1");
        claims[1].GetProperty("source").GetProperty("figure").ValueKind.Should().Be(JsonValueKind.Null, "the paper shows no figure for it");
    }

    private sealed record ReportFile(ReportEnvironment Environment, ReportCounts Summary, IReadOnlyList<ClaimOutcome> Claims);
}
