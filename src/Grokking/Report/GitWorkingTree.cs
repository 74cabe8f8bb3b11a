using System.ComponentModel;
using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;

namespace Grokking.Report;

/// <summary>
/// Whether the working tree differs from its commit, and a digest of how: a run's provenance (issue 30) must tell a
/// commit's run from one made with uncommitted edits, and two edited runs apart. Asked of git itself (unlike
/// <see cref="GitInfo.Commit"/>): comparing files with the index is git's job. Unknown (null) where git cannot answer.
/// </summary>
/// <param name="Dirty">True when tracked files changed or untracked, not ignored files exist; null when unknown.</param>
/// <param name="DiffHash">
/// SHA-256 (hex) over <c>git diff HEAD --binary</c> and each untracked file's path and content digest; null when clean or unknown.
/// </param>
public sealed record GitWorkingTree(bool? Dirty, string? DiffHash)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    public static GitWorkingTree Unknown { get; } = new(null, null);

    public static GitWorkingTree Read(string repositoryRoot)
    {
        var status = Git(repositoryRoot, "status", "--porcelain=v1", "-z", "--untracked-files=all");
        if (status is null)
        {
            return Unknown;
        }

        if (status.Length == 0)
        {
            return new GitWorkingTree(false, null);
        }

        var diff = Git(repositoryRoot, "diff", "HEAD", "--binary", "--no-color", "--no-ext-diff");
        var untracked = Git(repositoryRoot, "ls-files", "--others", "--exclude-standard", "-z");
        if (diff is null || untracked is null)
        {
            return new GitWorkingTree(true, null);
        }

        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(diff);
        foreach (string path in Encoding.UTF8.GetString(untracked).Split('\0', StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal))
        {
            hash.AppendData(Encoding.UTF8.GetBytes(path + "\0"));
            hash.AppendData(FileDigest(Path.Combine(repositoryRoot, path)));
        }

        return new GitWorkingTree(true, Convert.ToHexStringLower(hash.GetHashAndReset()));
    }

    /// <summary>The file's SHA-256, or none for a file that vanished or cannot be read (its path still counts).</summary>
    private static byte[] FileDigest(string path)
    {
        try
        {
            using var stream = File.OpenRead(path);
            return SHA256.HashData(stream);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }

    /// <summary>A git command's standard output; null when git is missing, fails or takes too long.</summary>
    private static byte[]? Git(string root, params string[] arguments)
    {
        var start = new ProcessStartInfo("git") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("-C");
        start.ArgumentList.Add(root);
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // 'git status' refreshes the index when it may, taking index.lock: a reader must not race a user's own git.
        start.Environment["GIT_OPTIONAL_LOCKS"] = "0";
        try
        {
            using var process = Process.Start(start);
            if (process is null)
            {
                return null;
            }

            using var output = new MemoryStream();
            var copy = process.StandardOutput.BaseStream.CopyToAsync(output);
            var errors = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(Patience))
            {
                process.Kill(entireProcessTree: true);
                return null;
            }

            copy.Wait();
            errors.Wait();
            return process.ExitCode == 0 ? output.ToArray() : null;
        }
        catch (Win32Exception)
        {
            return null;
        }
    }
}
