using System.CommandLine;
using Grokking.Claims;
using Grokking.Claims.Contracts;
using Grokking.Claims.Scheduling;
using Grokking.Configuration;
using Grokking.Report;

namespace Grokking.Cli;

/// <summary>
/// verify --shard i/n: one shard's claims, each outcome written as a result record (<see cref="ShardVerification"/>);
/// verify --emit SCHEDULER --shards n: the job definition that runs n shards and merges them, printed and nothing else.
/// </summary>
internal static class VerifyShard
{
    /// <summary>Runs --emit or --shard, whichever the command line gives (the validators allow one).</summary>
    public static int Act(
        ParseResult parsed, SharedOptions shared, ShardOptions sharding, Option<string[]> claims, Option<Verdict[]> failOn, Option<bool> noProgress)
    {
        var options = shared.LoadForClaims(parsed, "verify");
        string[]? patterns = parsed.GetValue(claims) is { Length: > 0 } p ? p : null;
        var output = parsed.InvocationConfiguration.Output;
        return parsed.GetValue(sharding.Emit) is { } scheduler
            ? Emit(options, patterns, scheduler, parsed.GetValue(sharding.Shards)!.Value, output)
            : Run(
                options, patterns, parsed.GetValue(sharding.Shard)!, parsed.GetValue(sharding.Records), [.. parsed.GetValue(failOn) ?? []],
                parsed.GetValue(noProgress), output, parsed.InvocationConfiguration.Error);
    }

    public static int Run(
        GrokkingOptions options, string[]? patterns, ShardSpec spec, string? records, HashSet<Verdict> failOn, bool quiet, TextWriter output,
        TextWriter error)
    {
        var settings = ClaimSuiteSettings.From(options);
        int index = spec.Resolve(Environment.GetEnvironmentVariable);
        string folder = Path.GetFullPath(records ?? Path.Combine(settings.ReportDirectory, "records"));
        var shard = ShardVerification.Prepare(settings, patterns, index, spec.Count, folder, output);
        output.WriteLine(ShardPlan.Line(shard.Shard));
        if (shard.Kept.Count > 0)
        {
            output.WriteLine($"kept the records of {string.Join(", ", shard.Kept.Select(r => r.Claim))} in {folder}: not verified again");
        }

        bool interrupted = false;
        if (shard.Remaining.Count == 0)
        {
            shard.Finish();
        }
        else
        {
            var suite = new ClaimSuite(settings, shard.Remaining, output);
            VerifyCommand.CheckResources(suite);
            var runtime = suite.RuntimeInfo;
            output.WriteLine(
                $"verifying {string.Join(",", shard.Remaining)} with profile {settings.Profile.Name} on {runtime.DeviceName} "
                + $"({runtime.Threads} threads, {runtime.ParallelRuns} run(s) at a time)");
            using var cancel = new CtrlC("checkpointing the current run; the same command resumes the shard", error);
            try
            {
                var progress = new ClaimProgressDisplay(quiet, output);
                shard.Run(suite, progress, cancel.Token);
                progress.Finish();
            }
            catch (OperationCanceledException)
            {
                error.WriteLine("interrupted; the records of the claims that finished are kept");
                interrupted = true;
            }
        }

        output.WriteLine();
        output.WriteLine(ClaimReport.SummaryTable(shard.Outcomes));
        foreach (var outcome in shard.Outcomes.Where(o => o.Verdict == Verdict.Error))
        {
            error.WriteLine($"error in {outcome.Id}: {outcome.Reason}");
        }

        output.WriteLine($"records: {shard.Written.Count} written, {shard.Kept.Count} kept in {folder}");
        return VerifyCommand.ExitCode(shard.Outcomes, failOn, interrupted);
    }

    /// <summary>The job definition, after the selection is checked against the catalog (a pattern that matches nothing exits 2).</summary>
    public static int Emit(GrokkingOptions options, string[]? patterns, ShardScheduler scheduler, int count, TextWriter output)
    {
        string root = RepositoryLocator.Find();
        ClaimCatalog.Load(Path.Combine(root, "claims")).Select(patterns);
        string commit = GitInfo.Commit(root);
        string tag = commit.Length >= 12 && commit.All(char.IsAsciiHexDigit) ? commit[..12] : "latest";
        output.Write(ShardJobs.Emit(scheduler, new ShardJobRequest(count, options.Profile, patterns, $"grokking-claims:{tag}")));
        return 0;
    }
}
