using System.Diagnostics;
using Grokking.Claims.Contracts;
using Grokking.Configuration;
using Grokking.Report;
using Microsoft.Data.Sqlite;

namespace Grokking.Tests.Unit.Report.History;

/// <summary>The SQLite history: entries read back whole, one file at rest, concurrent writers, damaged files refused.</summary>
public sealed class HistoryStoreTests : IDisposable
{
    private readonly string dir = HistoryFixtures.TempDirectory();

    private string File(string name = HistoryStore.FileName) => Path.Combine(dir, name);

    public void Dispose() => Directory.Delete(dir, recursive: true);

    [Fact]
    public void An_entry_reads_back_with_its_provenance_verdicts_intervals_and_unmeasured_values()
    {
        string report = HistoryFixtures.WriteReport(File("report.json"), "c0ffee0000000000000000000000000000000000");
        var entry = HistoryReportReader.Read(report);
        var store = HistoryStore.Open(File(), create: true);

        long id = store.Append(entry);
        var read = store.Entries([id])[0];

        read.Run.Id.Should().Be(id);
        read.Run.Environment.Should().BeEquivalentTo(entry.Run.Environment);
        read.Run.Environment.Engine.Should().Be("engine-test");
        read.Run.Environment.Configuration.Select(p => $"{p.Key}={p.Value}").Should().Equal("Profile=ci", "Runtime:Threads=0");
        read.Claims.Select(c => c.Id).Should().Equal("MC_1", "WN_2");
        read.Claims[0].Comparisons.Should().Equal(entry.Claims[0].Comparisons);
        read.Claims[0].Comparisons[0].Low.Should().Be(ReportFixtures.ValAccComparison.Low);
        double.IsNaN(read.Claims[1].Measured[0].Value).Should().BeTrue("NaN (a seed that never reached the event) survives the round trip");
        read.Claims[1].Verdict.Should().Be(Verdict.Refuted);
        store.Runs(Profile.Ci).Select(r => r.Id).Should().Equal(id);
        store.Runs(Profile.Paper).Should().BeEmpty();
    }

    [Fact]
    public void The_history_is_one_file_at_rest_in_write_ahead_log_mode()
    {
        var store = HistoryStore.Open(File(), create: true);
        store.Append(HistoryFixtures.Entry("a1", HistoryFixtures.Claim("X-1", Verdict.Confirmed)));

        Directory.GetFiles(dir).Select(Path.GetFileName).Should().Equal(HistoryStore.FileName);
        using var connection = new SqliteConnection($"Data Source={File()};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode";
        command.ExecuteScalar().Should().Be("wal");
    }

    [Fact]
    public void Tasks_appending_at_once_lose_no_entry_and_mix_no_results()
    {
        HistoryStore.Open(File(), create: true);
        const int Writers = 8;
        const int Each = 6;

        Parallel.For(0, Writers, new ParallelOptions { MaxDegreeOfParallelism = Writers }, w =>
        {
            // Each writer its own store object, as separate commands would have.
            var store = HistoryStore.Open(File(), create: true);
            for (int i = 0; i < Each; i++)
            {
                var claims = Enumerable.Range(0, 5)
                    .Select(c => HistoryFixtures.Claim($"W{w}-{c}", Verdict.Confirmed, HistoryFixtures.Comparison("k", i, i - 1, i + 1)));
                store.Append(HistoryFixtures.Entry($"{w:x4}{i:x4}", [.. claims]));
            }
        });

        var history = HistoryStore.Open(File(), create: false);
        var runs = history.Runs();
        runs.Should().HaveCount(Writers * Each);
        runs.Select(r => r.Id).Should().OnlyHaveUniqueItems();
        foreach (var entry in history.Entries([.. runs.Select(r => r.Id)]))
        {
            string writer = entry.Run.Environment.GitCommit[..4];
            entry.Claims.Should().HaveCount(5).And.OnlyContain(c => c.Id.StartsWith($"W{Convert.ToInt32(writer, 16)}-", StringComparison.Ordinal));
        }

        Directory.GetFiles(dir).Select(Path.GetFileName).Should().Equal(HistoryStore.FileName);
    }

    [Fact]
    public void Processes_appending_at_once_each_add_their_entry()
    {
        string report = HistoryFixtures.WriteReport(File("report.json"), "beef000000000000000000000000000000000000");
        const int Processes = 4;

        var runs = Enumerable.Range(0, Processes).Select(_ => Cli("history", "--add", report, "--set", $"Output:HistoryFile={File()}")).ToList();
        foreach (var process in runs)
        {
            string stdout = process.StandardOutput.ReadToEnd();
            string stderr = process.StandardError.ReadToEnd();
            process.WaitForExit();
            process.ExitCode.Should().Be(0, stderr);
            stdout.Should().MatchRegex(@"^history: entry #\d+ in ");
            process.Dispose();
        }

        var history = HistoryStore.Open(File(), create: false);
        history.Runs().Select(r => r.Id).Should().BeEquivalentTo(Enumerable.Range(1, Processes).Select(i => (long)i));
        history.Entries([.. history.Runs().Select(r => r.Id)]).Should().OnlyContain(e => e.Claims.Count == 2);
        Directory.GetFiles(dir).Select(Path.GetFileName).Order().Should().Equal(HistoryStore.FileName, "report.json");
    }

    [Theory]
    [InlineData("text", "damaged or not a database")]
    [InlineData("foreign", "an SQLite database, but not a grokking history")]
    [InlineData("layout", "a grokking history of layout 7")]
    [InlineData("truncated", "damaged")]
    public void A_file_that_is_no_history_of_this_layout_is_one_error_naming_it(string kind, string problem)
    {
        string path = File();
        switch (kind)
        {
            case "text":
                System.IO.File.WriteAllText(path, "not a database, just text that is long enough to fill a header of one hundred bytes or so......");
                break;
            case "foreign":
                Sql(path, "CREATE TABLE t (x INTEGER)");
                break;
            case "layout":
                HistoryStore.Open(path, create: true);
                Sql(path, "PRAGMA user_version = 7");
                break;
            default:
                var store = HistoryStore.Open(path, create: true);
                for (int i = 0; i < 30; i++)
                {
                    var wide = HistoryFixtures.Comparison(new string('k', 400), 1, 0, 2);
                    store.Append(HistoryFixtures.Entry("a1", HistoryFixtures.Claim("X-1", Verdict.Confirmed, wide)));
                }

                var bytes = System.IO.File.ReadAllBytes(path);
                System.IO.File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);
                break;
        }

        var act = () => HistoryStore.Open(path, create: true).Entries([1]);

        act.Should().Throw<HistoryInputException>().Which.Message.Should()
            .StartWith(path + ": ").And.Contain(problem).And.EndWith("move it aside or point Output:HistoryFile at another file")
            .And.NotContain("\n");
    }

    [Fact]
    public void Reading_a_history_that_does_not_exist_names_the_file_and_creates_nothing()
    {
        var act = () => HistoryStore.Open(File(), create: false);

        act.Should().Throw<HistoryInputException>().WithMessage($"{File()}: no history there*");
        System.IO.File.Exists(File()).Should().BeFalse();
    }

    [Fact]
    public void An_entry_it_does_not_hold_is_an_error_naming_it()
    {
        var store = HistoryStore.Open(File(), create: true);

        var act = () => store.Entries([42]);

        act.Should().Throw<HistoryInputException>().WithMessage($"{File()}: holds no entry #42");
    }

    private static void Sql(string path, string sql)
    {
        using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static Process Cli(params string[] args) => Grokking.Tests.Unit.Cli.CliProcess.Start(null, args);
}
