using System.CommandLine;
using Grokking.Claims;
using Grokking.Configuration;
using Grokking.Data;
using Grokking.Claims.Contracts;

namespace Grokking.Cli;

/// <summary>
/// grokking verify: the main job. Runs the selected claims (shared runs come from the cache), writes report/,
/// prints the summary, and compares each outcome with its baseline (informational here; the claim tests gate on it).
/// Exit, the first that applies: 130 interrupted; 1 when a claim is ERROR (its run or analysis failed); 3 when --fail-on names a verdict
/// that occurred; 0 otherwise. A claim whose data are missing (DATA MISSING) is no failure: it prints the command that
/// installs them and leaves the code at 0; it is not compared with its baseline.
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
        var plan = new Option<bool>("--plan")
        {
            Description = "train nothing: print each run's measured step, projected minutes on this device and the roofline's floor",
        };
        var (variants, only) = VariantOptions();
        var record = new Option<bool>("--record")
        {
            Description = "with --plan: write the projected minutes into the experiment files (projected.<profile>)",
        };

        var command = new Command("verify", "the main job: verify the claims, write report/ (md, html, json, figures)")
        {
            claims, failOn, noProgress, plan, record, variants, only,
        };
        var sharding = new ShardOptions();
        foreach (var option in sharding.All)
        {
            command.Add(option);
        }

        command.Validators.Add(result => ExclusiveModes(result, plan, record, variants));
        command.Validators.Add(result => OnlyWithVariants(result, variants, only));
        command.Validators.Add(result => sharding.Validate(result, [claims, failOn, noProgress, plan, record, variants, only]));
        command.SetAction(parsed => sharding.Given(parsed)
            ? VerifyShard.Act(parsed, shared, sharding, claims, failOn, noProgress)
            : parsed.GetValue(variants)
            ? VerifyVariants.Run(
                shared.LoadForClaims(parsed, "verify"), parsed.GetValue(claims) is { Length: > 0 } p ? p : null,
                parsed.GetValue(only) is { Length: > 0 } names ? names : null, parsed.GetValue(noProgress),
                parsed.InvocationConfiguration.Output, parsed.InvocationConfiguration.Error)
            : parsed.GetValue(plan)
            ? Plan(shared.LoadForClaims(parsed, "verify"), parsed.GetValue(claims), parsed.GetValue(record), parsed.InvocationConfiguration.Output)
            : Run(
            shared.LoadForClaims(parsed, "verify"),
            parsed.GetValue(claims) is { Length: > 0 } patterns ? patterns : null,
            [.. parsed.GetValue(failOn) ?? []],
            parsed.GetValue(noProgress),
            parsed.InvocationConfiguration.Output,
            parsed.InvocationConfiguration.Error));
        return command;
    }

    /// <summary>--variants runs the declared alternatives; --variant narrows them to those named.</summary>
    private static (Option<bool> Variants, Option<string[]> Only) VariantOptions() => (
        new Option<bool>("--variants")
        {
            Description = "re-run the claims under each alternative their experiments declare at the profile (not part of the default suite)",
        },
        new Option<string[]>("--variant")
        {
            Description = "with --variants: only this alternative (NAME or EXPERIMENT/NAME; repeatable)",
            HelpName = "NAME",
        });

    /// <summary>--variant picks among the alternatives that --variants runs; alone it would run nothing.</summary>
    private static void OnlyWithVariants(System.CommandLine.Parsing.CommandResult result, Option<bool> variants, Option<string[]> only)
    {
        if (result.GetValue(only) is { Length: > 0 } && !result.GetValue(variants))
        {
            result.AddError("Invalid value for '--variant': it picks among the alternatives of --variants; add --variants");
        }
    }

    /// <summary>--record only records a --plan; --variants runs what --plan would only measure.</summary>
    private static void ExclusiveModes(
        System.CommandLine.Parsing.CommandResult result, Option<bool> plan, Option<bool> record, Option<bool> variants)
    {
        if (result.GetValue(record) && !result.GetValue(plan))
        {
            result.AddError("Invalid value for '--record': it records what --plan measures; add --plan");
        }

        if (result.GetValue(variants) && result.GetValue(plan))
        {
            result.AddError("Invalid value for '--variants': it runs the alternatives, --plan runs nothing; use one");
        }
    }

    /// <summary>
    /// Every experiment the selection runs, at the profile, held against the memory the process has (exit 2 before any
    /// run). One whose data are missing runs nothing (its claims are DATA MISSING), so it needs no memory.
    /// </summary>
    internal static void CheckResources(ClaimSuite suite)
    {
        var available = AvailableMemory.Read();
        var profile = suite.Settings.Profile;
        foreach (string name in suite.Selection.SelectMany(c => c.AllExperiments).Distinct(StringComparer.Ordinal))
        {
            if (suite.DataShortageOf(name) is not null)
            {
                continue;
            }

            var options = ExperimentResolver.Resolve(suite.Catalog.Experiments[name], profile);
            ResourceGuard.Check(options, available, $"experiment '{name}' at profile {profile.Name}");
        }
    }

    /// <summary>
    /// verify --plan: the selection's runs measured briefly and projected (<see cref="Grokking.Claims.Scheduling.ExperimentPlan"/>);
    /// nothing is trained, and nothing written but, with --record, the projections in the experiment files.
    /// </summary>
    private static int Plan(GrokkingOptions options, string[]? patterns, bool record, TextWriter output)
    {
        var suite = new ClaimSuite(ClaimSuiteSettings.From(options), patterns is { Length: > 0 } ? patterns : null, output);
        CheckResources(suite);
        var runtime = suite.RuntimeInfo;
        output.WriteLine($"plan for profile {suite.Settings.Profile.Name} on {runtime.DeviceName} ({runtime.Threads} thread(s) a run, "
            + $"{runtime.ParallelRuns} run(s) at a time): each run's step measured on a sample of its members, nothing trained");
        var plan = Grokking.Claims.Scheduling.ExperimentPlan.For(suite, output.WriteLine);
        foreach (string line in plan.Lines(suite.Settings.Profile.Name, runtime.ParallelRuns))
        {
            output.WriteLine(line);
        }

        if (record)
        {
            var files = Grokking.Claims.Scheduling.ProjectionRecorder.Record(
                plan, suite.Settings.ClaimsDirectory, suite.Settings.Profile.Name, runtime.DeviceName);
            output.WriteLine($"recorded projected.{suite.Settings.Profile.Name} in {string.Join(", ", files.Select(Path.GetFileName))}");
        }

        return 0;
    }

    private static int Run(GrokkingOptions options, string[]? patterns, HashSet<Verdict> failOn, bool quiet, TextWriter output, TextWriter error)
    {
        var suite = new ClaimSuite(ClaimSuiteSettings.From(options), patterns, output);
        CheckResources(suite);

        // Opened (created, checked) before anything trains: a damaged history exits 2 now, not after an hour of runs.
        string history = Grokking.Report.HistoryLocation.Of(options.Output, suite.Settings.RepositoryRoot);
        Grokking.Report.HistoryStore.Open(history, create: true);
        var runtime = suite.RuntimeInfo;
        output.WriteLine(
            $"verifying {(patterns is null ? "all claims" : string.Join(",", patterns))} with profile {suite.Settings.Profile.Name} "
            + $"on {runtime.DeviceName} ({runtime.Threads} threads, {runtime.ParallelRuns} run(s) at a time)");

        using var cancel = new CtrlC("checkpointing the current run; 'grokking verify' again resumes it", error);
        bool interrupted = false;
        try
        {
            var progress = new ClaimProgressDisplay(quiet, output);
            suite.VerifyAll(progress, cancel.Token);
            progress.Finish();
        }
        catch (OperationCanceledException)
        {
            error.WriteLine("interrupted; partial report follows");
            interrupted = true;
        }

        var files = Grokking.Report.SuiteReport.Write(suite);
        output.WriteLine();
        output.WriteLine(Grokking.Report.ClaimReport.SummaryTable(suite.OutcomesWithErrors()));
        foreach (var outcome in suite.Outcomes.Where(o => o.Verdict == Verdict.DataMissing))
        {
            output.WriteLine($"data missing in {outcome.Id}: {outcome.Reason}; to fix: {outcome.Fix}");
        }

        // A claim with no data measured nothing: there is nothing to hold against its baseline.
        foreach (var outcome in suite.Outcomes.Where(o => o.Verdict != Verdict.DataMissing))
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

        // A partial report is no verify's result: recorded, it would read as claims gone missing in the next diff.
        output.WriteLine(interrupted
            ? "history: not recorded (interrupted)"
            : Grokking.Report.HistoryActions.Record(
                history, Path.Combine(suite.Settings.ReportDirectory, Grokking.Report.ClaimReport.JsonFile), source: "verify"));
        return ExitCode(suite.OutcomesWithErrors(), failOn, interrupted);
    }

    /// <summary>
    /// The exit code of a verify, the first that applies: 130 when Ctrl-C stopped it (the report is partial); 1 when a claim
    /// is ERROR (a runtime failure outranks a verdict gate); 3 when a claim's verdict is named in --fail-on; 0 otherwise.
    /// DATA MISSING is no verdict and no failure.
    /// </summary>
    internal static int ExitCode(IReadOnlyList<ClaimOutcome> outcomes, IReadOnlySet<Verdict> failOn, bool interrupted = false)
    {
        if (interrupted)
        {
            return Program.Interrupted;
        }

        if (outcomes.Any(o => o.Verdict == Verdict.Error))
        {
            return Program.RuntimeFailure;
        }

        return outcomes.Any(o => o.Verdict is not (Verdict.Error or Verdict.DataMissing) && failOn.Contains(o.Verdict)) ? FailOnVerdict : 0;
    }
}
