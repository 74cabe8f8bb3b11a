using Grokking.Claims.Contracts;
using Grokking.Configuration;
using Grokking.Report;
using static Grokking.Tests.Unit.Report.History.HistoryFixtures;

namespace Grokking.Tests.Unit.Report.History;

/// <summary>What report diff accepts for A and B: files, entry ids, latest~N and commits, each resolved at the profile.</summary>
public sealed class HistoryReferenceTests : IDisposable
{
    private readonly string dir = TempDirectory();
    private readonly HistoryStore store;

    public HistoryReferenceTests()
    {
        store = HistoryStore.Open(Path.Combine(dir, HistoryStore.FileName), create: true);
        store.Append(Entry("a111aaaa", Claim("A-1", Verdict.Refuted)));                        // #1
        store.Append(Entry("b222bbbb", Claim("A-1", Verdict.Confirmed)));                      // #2
        store.Append(Entry("b222bbbb", Claim("A-1", Verdict.Inconclusive)));                   // #3, same commit, later
        store.Append(Entry("b222cccc", Claim("A-1", Verdict.Error)) with
        {
            Run = new HistoryRun(0, DateTimeOffset.UnixEpoch, "test", Environment("b222cccc") with { Profile = Profile.Paper }),
        });                                                                                     // #4, at paper
    }

    public void Dispose() => Directory.Delete(dir, recursive: true);

    private HistoryEntry Resolve(string text, Profile profile = Profile.Ci) => HistoryReference.Resolve(text, () => store, profile);

    [Theory]
    [InlineData("2", 2)]
    [InlineData("#1", 1)]
    [InlineData("latest", 3)]
    [InlineData("latest~2", 1)]
    [InlineData("a111", 1)]
    [InlineData("B222BBBB", 3)]
    public void A_reference_names_the_entry(string text, long id) => Resolve(text).Run.Id.Should().Be(id);

    [Fact]
    public void Latest_and_commits_are_read_at_the_profile()
    {
        Resolve("latest", Profile.Paper).Run.Id.Should().Be(4);
        Resolve("b222", Profile.Paper).Run.Id.Should().Be(4, "at paper only b222cccc has entries");
    }

    [Fact]
    public void A_file_is_read_before_the_history_is_asked()
    {
        string report = WriteReport(Path.Combine(dir, "a", "report.json"), "9999");

        HistoryReference.Resolve(report, () => throw new InvalidOperationException("the history is not needed"), Profile.Ci)
            .Run.Environment.GitCommit.Should().Be("9999");
    }

    [Theory]
    [InlineData("b222", "commit 'b222' is ambiguous at profile ci: b222bbbb, b222cccc")]
    [InlineData("latest~3", "'latest~3' is past the oldest entry: it holds 3 at profile ci")]
    [InlineData("abcdef", "no entry of commit 'abcdef' at profile ci")]
    [InlineData("9", "holds no entry #9")]
    public void A_reference_the_history_cannot_answer_names_the_file(string text, string problem)
    {
        if (text == "b222")
        {
            store.Append(Entry("b222cccc", Claim("A-1", Verdict.Refuted)));
        }

        var act = () => Resolve(text);

        act.Should().Throw<HistoryInputException>().Which.Message.Should().StartWith(store.FilePath).And.Contain(problem);
    }

    [Fact]
    public void Text_of_no_form_is_a_usage_error_without_opening_the_history()
    {
        var act = () => HistoryReference.Resolve("no-such-report.json", () => throw new InvalidOperationException("not opened"), Profile.Ci);

        act.Should().Throw<OptionsException>()
            .WithMessage("Invalid value for 'report diff': 'no-such-report.json' is no file, and not a report.json*");
    }
}
