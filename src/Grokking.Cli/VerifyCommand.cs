using Grokking.Claims;
using Grokking.Configuration;
using Grokking.Claims.Contracts;

namespace Grokking.Cli;

/// <summary>
/// grokking verify: the main job. Runs the selected claims (shared runs come from the cache), writes report/,
/// prints the summary, and compares each outcome with its baseline (informational here; the claim tests gate on it).
/// Exit: 0 when every claim got a verdict; 1 on errors; 3 when --fail-on names a verdict that occurred.
/// </summary>
internal static class VerifyCommand
{
    private static readonly string[] FailOnAllowed = ["refuted", "inconclusive"];

    public static int Run(GrokkingOptions options, CommandLine cmd)
    {
        var failOn = ParseFailOn(cmd.Get("--fail-on"));
        var patterns = cmd.Get("--claims")?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var suite = new ClaimSuite(ClaimSuiteSettings.From(options));
        Console.WriteLine($"verifying {(patterns is null ? "all claims" : string.Join(",", patterns))} with profile {suite.ProfileName} on {suite.RuntimeInfo.DeviceName} ({suite.RuntimeInfo.Threads} threads)");

        using var cancel = new CtrlC("checkpointing the current run; 'grokking verify' again resumes it");
        try
        {
            var progress = new ClaimProgressDisplay(cmd.Has("--no-progress"));
            suite.VerifyAll(patterns, progress, cancel.Token);
            progress.Finish();
        }
        catch (OperationCanceledException)
        {
            Console.Error.WriteLine("interrupted; partial report follows");
        }

        var files = Grokking.Report.SuiteReport.Write(suite);
        Console.WriteLine();
        Console.WriteLine(Grokking.Report.ClaimReport.SummaryTable(suite.Outcomes));
        foreach (var outcome in suite.Outcomes)
        {
            var comparison = suite.Baselines.Compare(suite.Snapshot(outcome));
            if (!comparison.Matches)
            {
                Console.WriteLine($"baseline {outcome.Id}: {string.Join("; ", comparison.Differences)} (received: {comparison.ReceivedPath})");
            }
        }

        foreach (var error in suite.Errors)
        {
            Console.Error.WriteLine($"error in {error.Id}: {error.Message}");
        }

        Console.WriteLine($"report: {string.Join(", ", files)}");
        if (suite.Errors.Count > 0)
        {
            return 1;
        }

        return suite.Outcomes.Any(o => failOn.Contains(o.Verdict)) ? 3 : 0;
    }

    private static HashSet<Verdict> ParseFailOn(string? value)
    {
        var result = new HashSet<Verdict>();
        foreach (string item in (value ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!FailOnAllowed.Contains(item, StringComparer.OrdinalIgnoreCase))
            {
                throw new UsageException($"--fail-on '{item}' is not allowed; allowed: {string.Join(", ", FailOnAllowed)}");
            }

            result.Add(Enum.Parse<Verdict>(item, ignoreCase: true));
        }

        return result;
    }
}
