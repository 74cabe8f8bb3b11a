using System.Diagnostics;

namespace Grokking.Tests.Unit.Cli;

/// <summary>
/// A fact about a file-system fault that needs mounts: a tmpfs of a given size (disk full) needs root, and as root a
/// read-only directory needs a read-only bind mount (root writes through permissions). Where that cannot be had (not
/// root, or a container without the right to mount) the test is reported skipped with the reason, decided when the tests
/// are discovered by mounting and unmounting a probe tmpfs; where it can, the test runs and asserts every step.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class MountFactAttribute : FactAttribute
{
    private static readonly Lazy<bool> IsRoot = new(() => Run("id", "-u").Output.Trim() == "0");

    private static readonly Lazy<string?> CannotMount = new(Probe);

    /// <param name="rootOnly">Whether the test needs root itself (a tmpfs), not only mounts when it runs as root.</param>
    public MountFactAttribute(bool rootOnly)
    {
        if (rootOnly && !IsRoot.Value)
        {
            Skip = "needs root to mount a small tmpfs (run the tests as root, as the container and CI do)";
        }
        else if (IsRoot.Value && CannotMount.Value is { } why)
        {
            Skip = $"runs as root but cannot mount ({why})";
        }
    }

    private static string? Probe()
    {
        if (!IsRoot.Value)
        {
            return "not root";
        }

        string dir = Path.Combine(Path.GetTempPath(), "grokking-tests", "mount-probe-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        var (code, output) = Run("mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", dir);
        if (code == 0)
        {
            Run("umount", dir);
        }

        Directory.Delete(dir);
        return code == 0 ? null : $"mount -t tmpfs: {output.Trim()}";
    }

    private static (int Code, string Output) Run(string command, params string[] arguments)
    {
        try
        {
            var start = new ProcessStartInfo(command, arguments) { RedirectStandardOutput = true, RedirectStandardError = true };
            using var process = Process.Start(start)!;
            string output = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
            process.WaitForExit();
            return (process.ExitCode, output);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return (-1, e.Message); // no such command
        }
    }
}
