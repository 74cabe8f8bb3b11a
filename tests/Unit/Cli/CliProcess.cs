using System.Diagnostics;

namespace Grokking.Tests.Unit.Cli;

/// <summary>The built executable, started as ./grokking starts it: a separate process, its output redirected.</summary>
internal static class CliProcess
{
    /// <param name="environment">Variables set for the child only (the test process's own stay untouched).</param>
    public static Process Start(IReadOnlyDictionary<string, string>? environment, params string[] args) =>
        StartIn(AppContext.BaseDirectory, environment, args);

    /// <param name="workingDirectory">
    /// Where the child starts: a folder holding Grokking.Claims.sln is the repository the child finds first, so a test can
    /// give it claim files of its own.
    /// </param>
    public static Process StartIn(string workingDirectory, IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workingDirectory,
        };
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Grokking.Cli.dll"));
        foreach (string a in args)
        {
            start.ArgumentList.Add(a);
        }

        return Process.Start(start)!;
    }

    /// <summary>Runs to the end: the exit code and both streams.</summary>
    public static (int ExitCode, string Stdout, string Stderr) Run(IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        using var process = Start(environment, args);
        var stdout = process.StandardOutput.ReadToEndAsync();
        string stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, stdout.Result, stderr);
    }
}
