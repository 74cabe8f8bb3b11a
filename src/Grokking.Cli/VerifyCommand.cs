using System.CommandLine;
using Grokking.Claims;
using Grokking.Configuration;
using Grokking.Data;
using Grokking.Claims.Contracts;

namespace Grokking.Cli;

/// <summary>
/// grokking verify: the main job. Runs the selected claims (shared runs come from the cache), writes report/,
/// prints the summary, and compares each outcome with its baseline (informational here; the claim tests gate on it).
/// Exit: 0 when every claim got a verdict; 1 on errors; 3 when --fail-on names a verdict that occurred.
/// </summary>
internal static class VerifyCommand
{
    public const int FailOnVerdict = 3;

    private static readonly Verdict[] FailOnAllowed = [Verdict.Refuted, Verdict.Inconclusive];

    public static Command Create(SharedOptions shared)
    {
        var claims = new Option<string[]>("--claims")
        {
            Description = "claim ids or patterns, comma-separated or repeated (default: all claims)",
            HelpName = "MC-*,PB-1",
            CustomParser = result => OptionRules.CommaSeparated(result, "--claims", "claim ids or patterns such as MC-*, comma-separated"),
        };
        claims.CompletionSources.Add(ClaimIdCompletions.List);
        var failOn = new Option<Verdict[]>("--fail-on")
        {
            Description = $"exit {FailOnVerdict} when a claim gets one of these verdicts",
            HelpName = string.Join(',', OptionRules.Names(FailOnAllowed)),
            CustomParser = result => OptionRules.CommaSeparatedNames(result, "--fail-on", FailOnAllowed),
        };
        failOn.CompletionSources.Clear();
        failOn.CompletionSources.Add(OptionRules.Names(FailOnAllowed).ToArray());
        var noProgress = new Option<bool>("--no-progress") { Description = "no progress lines (phases, live training line)" };

        var command = new Command("verify", "the main job: verify the claims, write report/ (md, html, json, figures)")
        {
            claims, failOn, noProgress,
        };
        command.SetAction(parsed => Run(
            shared.LoadForClaims(parsed, "verify"),
            parsed.GetValue(claims) is { Length: > 0 } patterns ? patterns : null,
            [.. parsed.GetValue(failOn) ?? []],
            parsed.GetValue(noProgress),
            parsed.InvocationConfiguration.Output,
            parsed.InvocationConfiguration.Error));
        return command;
    }

    /// <summary>Every experiment the selection runs, at the profile, held against the memory the process has (exit 2 before any run).</summary>
    private static void CheckResources(ClaimSuite suite)
    {
        var available = AvailableMemory.Read();
        var profile = suite.Settings.Profile;
        foreach (string name in suite.Selection.SelectMany(c => c.AllExperiments).Distinct(StringComparer.Ordinal))
        {
            var options = ExperimentResolver.Resolve(suite.Catalog.Experiments[name], profile);
            ResourceGuard.Check(options, available, $"experiment '{name}' at profile {profile.Name}");
        }
    }

    private static int Run(GrokkingOptions options, string[]? patterns, HashSet<Verdict> failOn, bool quiet, TextWriter output, TextWriter error)
    {
        var suite = new ClaimSuite(ClaimSuiteSettings.From(options), patterns);
        CheckResources(suite);
        var runtime = suite.RuntimeInfo;
        output.WriteLine(
            $"verifying {(patterns is null ? "all claims" : string.Join(",", patterns))} with profile {suite.Settings.Profile.Name} "
            + $"on {runtime.DeviceName} ({runtime.Threads} threads, {runtime.ParallelRuns} run(s) at a time)");

        using var cancel = new CtrlC("checkpointing the current run; 'grokking verify' again resumes it", error);
        try
        {
            var progress = new ClaimProgressDisplay(quiet, output);
            suite.VerifyAll(progress, cancel.Token);
            progress.Finish();
        }
        catch (OperationCanceledException)
        {
            error.WriteLine("interrupted; partial report follows");
        }

        var files = Grokking.Report.SuiteReport.Write(suite);
        output.WriteLine();
        output.WriteLine(Grokking.Report.ClaimReport.SummaryTable(suite.Outcomes));
        foreach (var outcome in suite.Outcomes)
        {
            var comparison = suite.Baselines.Compare(suite.Snapshot(outcome));
            if (!comparison.Matches)
            {
                output.WriteLine($"baseline {outcome.Id}: {string.Join("; ", comparison.Differences)} (received: {comparison.ReceivedPath})");
            }
        }

        foreach (var e in suite.Errors)
        {
            error.WriteLine($"error in {e.Id}: {e.Message}");
        }

        output.WriteLine($"report: {string.Join(", ", files)}");
        if (suite.Errors.Count > 0)
        {
            return 1;
        }

        return suite.Outcomes.Any(o => failOn.Contains(o.Verdict)) ? FailOnVerdict : 0;
    }
}
