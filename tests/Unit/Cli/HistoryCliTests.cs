using Grokking.Cli;
using Grokking.Report;
using Grokking.Tests.Unit.Report.History;

namespace Grokking.Tests.Unit.Cli;

/// <summary>
/// grokking history and grokking report diff as a user runs them (issue 30): entries recorded by verify and by --add, a plot
/// per claim, the verdicts that changed between two commits, and one line with exit 2 for what cannot be read.
/// </summary>
[Collection(ProcessEnvironmentCollection.Name)]
public sealed class HistoryCliTests : IDisposable
{
    private readonly string dir = HistoryFixtures.TempDirectory();

    private string History => Path.Combine(dir, "report", HistoryStore.FileName);

    public void Dispose() => Directory.Delete(dir, recursive: true);

    private static (int ExitCode, string Stdout, string Stderr) Run(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        int code = Program.Run(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    private string[] Output =>
        ["--set", $"Output:ReportDirectory={Path.Combine(dir, "report")}", "--set", $"Output:CacheDirectory={Path.Combine(dir, "cache")}"];

    [Fact]
    public void Report_diff_between_two_commits_in_the_history_shows_the_verdict_that_changed()
    {
        string a = HistoryFixtures.WriteReport(Path.Combine(dir, "a", "report.json"), "aaaa111122223333444455556666777788889999");
        string b = HistoryFixtures.WriteReport(
            Path.Combine(dir, "b", "report.json"), "bbbb111122223333444455556666777788889999", Grokking.Claims.Contracts.Verdict.Refuted, scale: 0.5);
        Run(["history", "--add", a, .. Output]).Should().Be((0, $"history: entry #1 in {History}\n", ""));
        Run(["history", "--add", b, .. Output]).ExitCode.Should().Be(0);

        var (code, stdout, stderr) = Run(["report", "diff", "aaaa1111", "bbbb", "--out", Path.Combine(dir, "diff.md"), .. Output]);

        code.Should().Be(0, stderr);
        stdout.Should().Contain("| commit | aaaa11112222 (clean) | bbbb11112222 (clean) |")
            .And.Contain("**1 verdict changed · 1 claim with values beyond their interval · 0 new · 0 missing (2 claims in both)**")
            .And.MatchRegex(@"\| MC_1 \| \*\*verdict\*\* \| CONFIRMED \| REFUTED \| valAcc: 0\.99\d* \[[^]]+\] → 0\.49\d* \[[^]]+\]");
        File.ReadAllText(Path.Combine(dir, "diff.md")).Should().Be(stdout);
    }

    [Fact]
    public void Report_diff_of_two_report_files_needs_no_history()
    {
        string a = HistoryFixtures.WriteReport(Path.Combine(dir, "a", "report.json"), "aaaa");
        string b = HistoryFixtures.WriteReport(Path.Combine(dir, "b", "report.json"), "bbbb", Grokking.Claims.Contracts.Verdict.Inconclusive);

        var (code, stdout, stderr) = Run(["report", "diff", a, Path.GetDirectoryName(b)!, .. Output]);

        code.Should().Be(0, stderr);
        stdout.Should().Contain("| MC_1 | **verdict** | CONFIRMED | INCONCLUSIVE |");
        File.Exists(History).Should().BeFalse("two files are compared without the history");
    }

    [Fact]
    public void History_prints_each_claim_over_the_entries_and_writes_a_plot_per_claim()
    {
        for (int i = 0; i < 3; i++)
        {
            string report = HistoryFixtures.WriteReport(Path.Combine(dir, $"r{i}", "report.json"), $"{i}000abcd", scale: 1 + (0.1 * i));
            Run(["history", "--add", report, .. Output]).ExitCode.Should().Be(0);
        }

        var (code, stdout, stderr) = Run(["history", "mc_*", "--last", "2", .. Output]);

        code.Should().Be(0, stderr);
        stdout.Should().StartWith($"history {History}: 3 entries at profile ci\n")
            .And.Contain("MC_1 — Memorisation precedes generalisation (plot ")
            .And.NotContain("WN_2 —", "the pattern selects MC_1 only");
        stdout.Split('\n').Count(l => l.Contains("  CONFIRMED", StringComparison.Ordinal)).Should().Be(2, "--last 2 prints two results");
        File.Exists(Path.Combine(dir, "report", "history", "MC_1.png")).Should().BeTrue();
        File.Exists(Path.Combine(dir, "report", "history", "MC_1.svg")).Should().BeTrue();
        File.Exists(Path.Combine(dir, "report", "history", "WN_2.png")).Should().BeFalse();
    }

    [Fact]
    public void A_damaged_history_exits_2_with_one_line_naming_the_file()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(History)!);
        File.WriteAllText(History, new string('x', 4096));

        foreach (string[] command in new[] { new[] { "history" }, ["report", "diff", "1", "2"] })
        {
            var (code, stdout, stderr) = Run([.. command, .. Output]);

            code.Should().Be(2, string.Join(' ', command));
            stdout.Should().BeEmpty();
            stderr.Should().Be($"error: {History}: damaged or not a database (SQLite: SQLite Error 26: 'file is not a database'.); "
                + "move it aside or point Output:HistoryFile at another file\n");
        }
    }

    [Fact]
    public void Verify_refuses_a_damaged_history_before_anything_runs()
    {
        string history = Path.Combine(dir, "elsewhere.db");
        File.WriteAllText(history, new string('x', 4096));

        var (code, stdout, stderr) = Run(
            ["verify", "--claims", "PB-5", "--profile", "smoke", "--no-progress", .. Output, "--set", $"Output:HistoryFile={history}"]);

        code.Should().Be(2);
        stdout.Should().BeEmpty();
        stderr.Should().StartWith($"error: {history}: damaged or not a database").And.EndWith("another file\n");
        Directory.Exists(Path.Combine(dir, "report")).Should().BeFalse("nothing ran");
    }

    [Fact]
    public void Verify_appends_its_report_to_the_history_in_the_report_folder()
    {
        var (code, stdout, stderr) = Run(["verify", "--claims", "PB-5", "--profile", "smoke", "--no-progress", .. Output]);

        code.Should().Be(0, stderr);
        stdout.Should().Contain($"history: entry #1 in {History}");
        var entry = HistoryStore.Open(History, create: false).Entries([1])[0];
        entry.Run.Source.Should().Be("verify");
        entry.Claims.Select(c => c.Id).Should().Equal("PB-5");
        entry.Run.Environment.Engine.Should().Be(Grokking.Training.EngineVersion.Value);
        entry.Run.Environment.Profile.Should().Be(Grokking.Configuration.Profile.Smoke);
        entry.Run.Environment.GitDirty.Should().NotBeNull("the checkout is a git repository");
    }

    [Theory]
    [InlineData(
        new[] { "history", "NOPE" }, "error: Invalid value for 'CLAIM': 'NOPE' matches no claim in the history at profile ci; it holds MC_1, WN_2")]
    [InlineData(new[] { "report", "diff", "nothing-here.json", "latest" }, "error: Invalid value for 'report diff': 'nothing-here.json' is no file")]
    [InlineData(
        new[] { "history", "MC_1", "--add", "x.json" },
        "error: Invalid value for '--add': it appends a report and shows nothing; name no CLAIM with it")]
    public void Bad_arguments_exit_2_with_one_line_naming_them(string[] command, string line)
    {
        string report = HistoryFixtures.WriteReport(Path.Combine(dir, "a", "report.json"), "aaaa");
        Run(["history", "--add", report, .. Output]).ExitCode.Should().Be(0);

        var (code, _, stderr) = Run([.. command, .. Output]);

        code.Should().Be(2);
        stderr.Should().StartWith(line).And.EndWith("\n");
        stderr.TrimEnd('\n').Should().NotContain("\n");
    }

    [Fact]
    public void The_root_help_lists_history_and_report()
    {
        var (_, stdout, _) = Run("--help");

        stdout.Should().MatchRegex("(?m)^  history ").And.MatchRegex("(?m)^  report ");
    }
}
