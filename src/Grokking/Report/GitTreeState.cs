using System.Diagnostics;
using System.Security.Cryptography;

namespace Grokking.Report;

/// <summary>
/// Whether the working tree differs from its commit, and a digest of how ('git diff HEAD --binary'), for a record's
/// provenance. Asked of the git command; where there is none (CI images need not have it) or it fails, both are unknown.
/// </summary>
public sealed record GitTreeState(bool? Dirty, string? DiffSha256)
{
    public static GitTreeState Unknown { get; } = new(null, null);

    public static GitTreeState Of(string repositoryRoot)
    {
        try
        {
            var status = Git(repositoryRoot, "status", "--porcelain");
            var diff = Git(repositoryRoot, "diff", "HEAD", "--binary");
            return status is null || diff is null
                ? Unknown
                : new GitTreeState(status.Length > 0, Convert.ToHexString(SHA256.HashData(diff)).ToLowerInvariant());
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or IOException or InvalidOperationException)
        {
            return Unknown;
        }
    }

    /// <summary>The command's standard output; null when it failed (not a repository, no commit).</summary>
    private static byte[]? Git(string root, params string[] arguments)
    {
        var start = new ProcessStartInfo("git") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("-C");
        start.ArgumentList.Add(root);
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("git did not start");
        using var output = new MemoryStream();
        var errors = process.StandardError.ReadToEndAsync();
        process.StandardOutput.BaseStream.CopyTo(output);
        process.WaitForExit();
        _ = errors.Result;
        return process.ExitCode == 0 ? output.ToArray() : null;
    }
}
