using System.Text.Json;
using Grokking.Claims;
using Grokking.Report;
using Grokking.Claims.Contracts;
using Grokking.Configuration;

namespace Grokking.Tests.Unit.Report;

public sealed class ClaimReportTests : IDisposable
{
    private const string ConfirmedReason = "Validation accuracy reached 99% long after train accuracy did.";
    private const string RefutedReason = "The weight norm grew instead of shrinking.";

    private readonly string _directory = Path.Combine(Path.GetTempPath(), $"claimreport-{Guid.NewGuid():N}");

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [Fact]
    public void Writes_markdown_html_and_json_and_leaves_no_temporary_files()
    {
        var written = ClaimReport.Write(_directory, TestEnvironment(), Outcomes(withFigureFile: true));

        string[] expected = [.. new[] { "report.md", "report.html", "report.json" }.Select(f => Path.Combine(_directory, f))];
        written.Should().Equal(expected);
        Directory.GetFiles(_directory).Should().BeEquivalentTo(expected, "no temporary files are left behind");
    }

    [Fact]
    public void Markdown_lists_every_claim_with_its_verdict_reason_and_figure()
    {
        ClaimReport.Write(_directory, TestEnvironment(), Outcomes(withFigureFile: true));

        string markdown = File.ReadAllText(Path.Combine(_directory, "report.md"));
        markdown.Should().Contain("MC_1").And.Contain("WN_2")
            .And.Contain("**CONFIRMED**").And.Contain("**REFUTED**")
            .And.Contain(ConfirmedReason).And.Contain(RefutedReason)
            .And.Contain("1 CONFIRMED / 1 REFUTED / 0 INCONCLUSIVE")
            .And.Contain("val_acc: 0.9912 (paper 1); delay: 12346 steps (paper 10000)")
            .And.Contain("![Accuracy](figures/mc1.png)")
            .And.Contain("&lt;b>&", "inline HTML in a statement is shown, not rendered");
    }

    [Fact]
    public void Html_is_self_contained_and_escapes_text()
    {
        ClaimReport.Write(_directory, TestEnvironment(), Outcomes(withFigureFile: true));

        string html = File.ReadAllText(Path.Combine(_directory, "report.html"));
        html.Should().Contain("data:image/png;base64,")
            .And.Contain("&lt;b&gt;&amp;")
            .And.NotContain("<b>&")
            .And.NotContain("figures/mc1.png", "the figure is inlined, not linked")
            .And.Contain(ConfirmedReason);
    }

    [Fact]
    public void Html_notes_a_missing_figure_instead_of_failing()
    {
        ClaimReport.Write(_directory, TestEnvironment(), Outcomes(withFigureFile: false));

        string html = File.ReadAllText(Path.Combine(_directory, "report.html"));
        html.Should().Contain("Figure file missing: figures/mc1.png").And.NotContain("data:image/png;base64,");
    }

    [Fact]
    public void Json_has_environment_summary_and_claims_with_camel_case_enums_and_nan()
    {
        ClaimReport.Write(_directory, TestEnvironment(), Outcomes(withFigureFile: true));

        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(_directory, "report.json")));
        var root = document.RootElement;
        root.GetProperty("environment").GetProperty("profile").GetString().Should().Be("smoke");
        root.GetProperty("environment").GetProperty("threads").GetInt32().Should().Be(16);

        var summary = root.GetProperty("summary");
        summary.GetProperty("confirmed").GetInt32().Should().Be(1);
        summary.GetProperty("refuted").GetInt32().Should().Be(1);
        summary.GetProperty("inconclusive").GetInt32().Should().Be(0);

        var claims = root.GetProperty("claims");
        claims.GetArrayLength().Should().Be(2);
        claims[0].GetProperty("id").GetString().Should().Be("MC_1");
        claims[0].GetProperty("verdict").GetString().Should().Be("confirmed");
        claims[0].GetProperty("figures")[0].GetProperty("pngPath").GetString().Should().Be("figures/mc1.png");
        claims[1].GetProperty("verdict").GetString().Should().Be("refuted");
        claims[1].GetProperty("measured")[0].GetProperty("value").GetString().Should().Be("NaN");
        claims[1].GetProperty("measured")[0].GetProperty("paper").ValueKind.Should().Be(JsonValueKind.Null);
    }

    [Fact]
    public void Console_table_aligns_columns_and_truncates_long_titles()
    {
        string table = ClaimReport.SummaryTable(Outcomes(withFigureFile: false));

        string[] lines = table.ReplaceLineEndings("\n").TrimEnd('\n').Split('\n');
        lines.Should().HaveCount(6, "header, rule, two claims, the counts and the controls");
        lines[0].Should().StartWith("Claim").And.Contain("Verdict").And.Contain("Title");
        lines[2].Should().StartWith("MC_1").And.Contain("CONFIRMED").And.Contain("val_acc: 0.9912 (paper 1)");
        lines[3].Should().StartWith("WN_2").And.Contain("REFUTED").And.Contain("...").And.Contain("weight_norm: NaN");
        lines[2].IndexOf("Memorisation", StringComparison.Ordinal)
            .Should().Be(lines[3].IndexOf("Weight", StringComparison.Ordinal), "the title column is aligned");
        lines[4].Should().Be("1 CONFIRMED / 1 REFUTED / 0 INCONCLUSIVE / 0 ERROR / 0 DATA MISSING");
        lines[5].Should().Be("Controls: 0 REFUTED (as expected) / 0 CONFIRMED (cannot discriminate) / 0 INCONCLUSIVE (ability to fail unshown) / 2 missing");
    }

    private static ReportEnvironment TestEnvironment() => new(
        GitCommit: "0123456789abcdef0123456789abcdef01234567",
        TorchSharpVersion: "0.107.0",
        LibTorchVersion: "2.7.1",
        Device: "cpu",
        Threads: 16,
        Profile: Profile.Smoke,
        Machine: "test-host",
        LibStdCxxShim: "not needed",
        Started: new DateTimeOffset(2025, 11, 22, 20, 0, 0, TimeSpan.Zero),
        Seconds: 754.2);

    private List<ClaimOutcome> Outcomes(bool withFigureFile)
    {
        const string figure = "figures/mc1.png";
        if (withFigureFile)
        {
            string png = Path.Combine(_directory, figure);
            Directory.CreateDirectory(Path.GetDirectoryName(png)!);
            var plot = new ScottPlot.Plot();
            plot.Add.Scatter(new double[] { 0, 1 }, new double[] { 0, 1 });
            plot.SavePng(png, 100, 80);
        }

        var confirmed = new ClaimOutcome(
            Id: "MC_1",
            Title: "Memorisation precedes generalisation",
            Statement: "Validation accuracy lags train accuracy by <b>& orders of magnitude of steps.",
            Source: new ClaimSource("Grokking: Generalization beyond overfitting on small algorithmic datasets", "3.1", "Fig. 1"),
            Verdict: Verdict.Confirmed,
            Reason: ConfirmedReason,
            Measured:
            [
                new MeasuredValue("val_acc", 0.99123, "", Paper: 1.0, Tolerance: ">= 0.95", PerSeed: [0.99, 0.992, 0.9915], Key: "valAcc"),
                new MeasuredValue("delay", 12345.6, "steps", Paper: 1e4, Tolerance: "x10", Key: "delay"),
                new MeasuredValue("third", 3, "", Paper: 3, Key: "third"),
            ],
            Seeds: [1, 2, 3],
            SeedCombination: "median",
            Profile: Profile.Smoke,
            Experiment: "modular-addition",
            Choices: ["p = 97", "AdamW, weight decay 1"],
            Figures: [new ClaimFigure("Accuracy", figure, null)],
            Seconds: 42.5);

        var refuted = confirmed with
        {
            Id = "WN_2",
            Title = "Weight norm shrinks during the grokking transition in every configuration we tried",
            Statement = "The weight norm decreases while validation accuracy rises.",
            Verdict = Verdict.Refuted,
            Reason = RefutedReason,
            Measured = [new MeasuredValue("weight_norm", double.NaN, "", PerSeed: [double.NaN, 1.5], Key: "weightNorm")],
            Choices = [],
            Figures = [],
            Seconds = 3.25,
        };

        return [confirmed, refuted];
    }
}
