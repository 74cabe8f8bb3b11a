using System.Text.Json;
using Grokking.Claims;
using Grokking.Claims.Contracts;
using Grokking.Cli;
using Grokking.Report;
using Grokking.Tests.Unit.Claims;

namespace Grokking.Tests.Unit.Report;

/// <summary>
/// An errored claim is ERROR and a claim without its data DATA MISSING, each with its own count in every format and
/// never folded into INCONCLUSIVE; verify exits 1 for an ERROR (before a --fail-on verdict) and 0 for DATA MISSING,
/// printing the command that fixes it, and changes no file but the report.
/// </summary>
[Collection(ProcessEnvironmentCollection.Name)]
public class ErrorAndDataMissingCountTests
{
    private static readonly ClaimOutcome Errored = ReportFixtures.Refuted with
    {
        Id = "ER_1", Verdict = Verdict.Error, Reason = "InvalidDataException: /data/x.gz: not an IDX file", Measured = [],
    };

    private static readonly ClaimOutcome Missing = ReportFixtures.Refuted with
    {
        Id = "DM_1", Verdict = Verdict.DataMissing, Reason = "nothing trained: img needs '/data' to hold x", Measured = [],
        Fix = "sudo apt-get install -y fake-images",
    };

    private static ReportDocument Document() => new(ReportFixtures.Environment, [ReportFixtures.Confirmed, ReportFixtures.Refuted, Errored, Missing]);

    // ------------------------------------------------------------------ the report

    [Fact]
    public void Errors_and_missing_data_have_counts_of_their_own_in_report_json()
    {
        using var json = JsonDocument.Parse(JsonReportRenderer.Render(Document()));
        var summary = json.RootElement.GetProperty("summary");
        var claims = json.RootElement.GetProperty("claims").EnumerateArray().ToList();

        summary.EnumerateObject().Select(p => (p.Name, p.Value.GetInt32())).Should().Equal(
            ("confirmed", 1), ("refuted", 1), ("inconclusive", 0), ("error", 1), ("dataMissing", 1));
        claims.Select(c => c.GetProperty("verdict").GetString()).Should().Equal("confirmed", "refuted", "error", "dataMissing");
        claims[3].GetProperty("fix").GetString().Should().Be("sudo apt-get install -y fake-images");
        claims[2].GetProperty("fix").ValueKind.Should().Be(JsonValueKind.Null);
        json.RootElement.GetProperty("schemaVersion").GetInt32().Should().Be(3);
    }

    [Fact]
    public void Markdown_html_and_console_show_all_five_counts_and_the_fix()
    {
        string line = "1 CONFIRMED / 1 REFUTED / 0 INCONCLUSIVE / 1 ERROR / 1 DATA MISSING";
        string markdown = MarkdownReportRenderer.Render(Document());
        string html = HtmlReportRenderer.Render(Document(), Path.GetTempPath());
        string console = ConsoleSummaryTable.Render(Document().Claims);

        markdown.Should().Contain($"**{line}**").And.Contain("Verdict: **ERROR** — InvalidDataException: /data/x.gz: not an IDX file")
            .And.Contain("Verdict: **DATA MISSING** — nothing trained").And.Contain("Fix: `sudo apt-get install -y fake-images`");
        html.Should().Contain("<span class=\"badge error\">1 ERROR</span> <span class=\"badge data-missing\">1 DATA MISSING</span>")
            .And.Contain("<p>Fix: <code>sudo apt-get install -y fake-images</code></p>");
        console.Should().Contain(line).And.MatchRegex(@"(?m)^ER_1\s+ERROR\s").And.MatchRegex(@"(?m)^DM_1\s+DATA MISSING\s");
    }

    [Fact]
    public void An_exception_becomes_a_one_line_error_naming_its_type()
    {
        var error = ClaimError.Of("OG-6", new InvalidDataException("/data/x.gz: not an IDX file\n  (first two bytes)\r\n"));

        error.Message.Should().Be("InvalidDataException: /data/x.gz: not an IDX file (first two bytes)");
    }

    // ------------------------------------------------------------------ the exit code

    [Theory]
    [InlineData("error,refuted", "refuted", 1)]
    [InlineData("error", "", 1)]
    [InlineData("refuted,dataMissing", "refuted", 3)]
    [InlineData("dataMissing,confirmed", "inconclusive,refuted", 0)]
    [InlineData("dataMissing", "", 0)]
    [InlineData("error,refuted", "refuted", 130, true)]
    [InlineData("confirmed", "", 130, true)]
    public void Verify_exits_1_for_an_error_before_3_for_a_fail_on_verdict_and_0_for_missing_data(
        string verdicts, string failOn, int expected, bool interrupted = false)
    {
        var outcomes = verdicts.Split(',').Select(v => Missing with { Verdict = Enum.Parse<Verdict>(v, ignoreCase: true) }).ToList();
        var gate = failOn.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(v => Enum.Parse<Verdict>(v, ignoreCase: true)).ToHashSet();

        VerifyCommand.ExitCode(outcomes, gate, interrupted).Should().Be(expected);
    }

    // ------------------------------------------------------------------ verify, end to end

    [Fact]
    public void Verify_of_a_claim_whose_data_are_garbage_exits_1_reporting_error_not_inconclusive()
    {
        string images = ImageCheckout.GarbageImages();
        using var checkout = new ImageCheckout(images);
        var before = ImageCheckout.Digests(checkout.Root, images);

        var (code, stdout, stderr) = Run("verify", "--profile", "smoke", "--no-progress");

        code.Should().Be(1, stdout + stderr);
        stderr.Trim().Should().Be(
            $"error in OG-1: InvalidDataException: {Path.Combine(images, "train-images-idx3-ubyte.gz")}: "
            + "not an IDX file (the first two bytes must be zero)");
        stdout.Should().Contain("0 CONFIRMED / 0 REFUTED / 0 INCONCLUSIVE / 1 ERROR / 0 DATA MISSING");
        Summary(checkout.Report).Should().Equal(("confirmed", 0), ("refuted", 0), ("inconclusive", 0), ("error", 1), ("dataMissing", 0));
        ImageCheckout.Now(before).Should().Equal(before, "the data and the checkout stay as they were");
    }

    [Fact]
    public void Verify_of_a_claim_whose_data_cannot_be_installed_exits_0_with_the_fix_and_shows_the_install_output()
    {
        using var checkout = new ImageCheckout(installer: "echo \"install-packages: cannot install $1: not root\"\nexit 1\n");
        var before = ImageCheckout.Digests(checkout.Root);

        var (code, stdout, stderr) = Run("verify", "--profile", "smoke", "--no-progress", "--fail-on", "inconclusive,refuted");

        code.Should().Be(0, stdout + stderr);
        stderr.Should().BeEmpty();
        stdout.Should().Contain("install-packages: cannot install fake-images: not root")
            .And.Contain("0 CONFIRMED / 0 REFUTED / 0 INCONCLUSIVE / 0 ERROR / 1 DATA MISSING")
            .And.Contain($"data missing in OG-1: nothing trained: img needs '{checkout.Images}' to hold train-images-idx3-ubyte")
            .And.Contain($"; to fix: {ImageCheckout.Fix}")
            .And.NotContain("baseline OG-1", "a claim that measured nothing is not held against its baseline");
        Summary(checkout.Report).Should().Equal(("confirmed", 0), ("refuted", 0), ("inconclusive", 0), ("error", 0), ("dataMissing", 1));
        ImageCheckout.Digests(checkout.Root).Should().Equal(before, "nothing trained, no received baseline written");
    }

    [Fact]
    public void Verify_with_GROKKING_NO_INSTALL_runs_the_real_script_which_installs_nothing_and_says_why()
    {
        string script = File.ReadAllText(Path.Combine(RepositoryLocator.Find(), DataSupply.Script));
        using var checkout = new ImageCheckout(installer: script["#!/usr/bin/env bash\n".Length..]);
        var before = ImageCheckout.Digests(checkout.Root);
        Environment.SetEnvironmentVariable("GROKKING_NO_INSTALL", "1");
        try
        {
            var (code, stdout, stderr) = Run("verify", "--profile", "smoke", "--no-progress");

            code.Should().Be(0, stdout + stderr);
            stdout.Should().Contain("install-packages: not installing fake-images: GROKKING_NO_INSTALL=1 is set; "
                + "install by hand with: sudo apt-get install -y fake-images")
                .And.Contain("data missing in OG-1");
            ImageCheckout.Digests(checkout.Root).Should().Equal(before);
        }
        finally
        {
            Environment.SetEnvironmentVariable("GROKKING_NO_INSTALL", null);
        }
    }

    private static (int ExitCode, string Stdout, string Stderr) Run(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        int code = Program.Run(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    private static List<(string, int)> Summary(string reportJson)
    {
        using var json = JsonDocument.Parse(File.ReadAllText(reportJson));
        return [.. json.RootElement.GetProperty("summary").EnumerateObject().Select(p => (p.Name, p.Value.GetInt32()))];
    }
}
