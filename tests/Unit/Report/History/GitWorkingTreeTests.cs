using System.Diagnostics;
using Grokking.Report;

namespace Grokking.Tests.Unit.Report.History;

/// <summary>The dirty flag and diff hash of a run's provenance, on a scratch repository.</summary>
public sealed class GitWorkingTreeTests : IDisposable
{
    private readonly string dir = HistoryFixtures.TempDirectory();

    public GitWorkingTreeTests()
    {
        Git("init", "-q");
        File.WriteAllText(Path.Combine(dir, "a.txt"), "one\n");
        File.WriteAllText(Path.Combine(dir, ".gitignore"), "ignored/\n");
        Git("add", ".");
        Git("-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-q", "-m", "first");
    }

    public void Dispose() => Directory.Delete(dir, recursive: true);

    [Fact]
    public void A_clean_tree_is_clean_and_ignored_files_do_not_dirty_it()
    {
        Directory.CreateDirectory(Path.Combine(dir, "ignored"));
        File.WriteAllText(Path.Combine(dir, "ignored", "report.json"), "{}");

        GitWorkingTree.Read(dir).Should().Be(new GitWorkingTree(false, null));
    }

    [Fact]
    public void Edits_are_dirty_with_a_hash_that_tells_two_edits_apart_and_repeats_for_the_same()
    {
        File.WriteAllText(Path.Combine(dir, "a.txt"), "two\n");
        var first = GitWorkingTree.Read(dir);
        var again = GitWorkingTree.Read(dir);
        File.WriteAllText(Path.Combine(dir, "a.txt"), "three\n");
        var other = GitWorkingTree.Read(dir);

        first.Dirty.Should().BeTrue();
        first.DiffHash.Should().MatchRegex("^[0-9a-f]{64}$");
        again.Should().Be(first);
        other.DiffHash.Should().NotBe(first.DiffHash);
    }

    [Fact]
    public void An_untracked_file_is_dirty_and_its_content_is_in_the_hash()
    {
        File.WriteAllText(Path.Combine(dir, "new.txt"), "x");
        var first = GitWorkingTree.Read(dir);
        File.WriteAllText(Path.Combine(dir, "new.txt"), "y");
        var second = GitWorkingTree.Read(dir);

        first.Dirty.Should().BeTrue();
        second.DiffHash.Should().NotBe(first.DiffHash);
    }

    [Fact]
    public void A_folder_that_is_no_repository_is_unknown()
    {
        string outside = HistoryFixtures.TempDirectory();
        try
        {
            // The temp folder lies in no repository (the test machines' /tmp is none).
            GitWorkingTree.Read(outside).Should().Be(GitWorkingTree.Unknown);
        }
        finally
        {
            Directory.Delete(outside);
        }
    }

    private void Git(params string[] arguments)
    {
        var start = new ProcessStartInfo("git") { WorkingDirectory = dir, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        string error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        process.ExitCode.Should().Be(0, error);
    }
}
