using System.CommandLine;
using Grokking.Claims;
using Grokking.Claims.Baselines;
using Grokking.Claims.Contracts;
using Grokking.Configuration;
using Grokking.Report;

namespace Grokking.Cli;

/// <summary>
/// grokking report merge DIR…: the result records of 'verify --shard' runs joined into one report (md, html, json, figures,
/// costs.json) in the report folder, and judged against the committed baselines as verify judges them. Needs no GPU and
/// trains nothing. Exit: 2 when a claim of the selection has no record or several (named), or a record is of another
/// profile or selection; 1 when a record is damaged (named) or a claim is ERROR; 3 when a verdict named in --fail-on
/// occurred or, with --fail-on-difference, an outcome differs from its baseline; 0 otherwise.
/// </summary>
internal static class ReportMergeCommand
{
    private static readonly Verdict[] FailOnAllowed = [Verdict.Refuted, Verdict.Inconclusive];

    public static Command Create(SharedOptions shared)
    {
        var directories = new Argument<string[]>("DIR")
        {
            Description = "folders holding result records (searched recursively), e.g. one per shard",
            Arity = ArgumentArity.OneOrMore,
        };
        var failOn = new Option<Verdict[]>("--fail-on")
        {
            Description = $"exit {VerifyCommand.FailOnVerdict} when a claim gets one of these verdicts",
            HelpName = string.Join(',', OptionRules.Names(FailOnAllowed)),
            CustomParser = result => OptionRules.CommaSeparatedNames(result, "--fail-on", FailOnAllowed),
        };
        var failOnDifference = new Option<bool>("--fail-on-difference")
        {
            Description = $"exit {VerifyCommand.FailOnVerdict} when an outcome differs from its committed baseline "
                + "(a paper claim not yet run is no difference)",
        };
        var merge = new Command("merge", "join the result records of 'verify --shard' runs into one report, judged against the baselines")
        {
            directories, failOn, failOnDifference,
        };
        merge.SetAction(parsed => Merge(
            shared.LoadForClaims(parsed, "report merge"),
            parsed.GetValue(directories) ?? [],
            [.. parsed.GetValue(failOn) ?? []],
            parsed.GetValue(failOnDifference),
            parsed.InvocationConfiguration.Output,
            parsed.InvocationConfiguration.Error));
        return merge;
    }

    private static int Merge(
        GrokkingOptions options, string[] directories, HashSet<Verdict> failOn, bool failOnDifference, TextWriter output, TextWriter error)
    {
        var settings = ClaimSuiteSettings.From(options);
        var catalog = ClaimCatalog.Load(settings.ClaimsDirectory);
        var merge = RecordMerge.Read([.. directories.Select(Path.GetFullPath)], catalog, settings.Profile);
        foreach (string warning in merge.Warnings())
        {
            error.WriteLine($"warning: {warning}");
        }

        var baselines = new BaselineStore(settings.BaselinesDirectory);
        var files = merge.Write(settings.ReportDirectory, baselines);
        var outcomes = merge.Outcomes;
        output.WriteLine($"merged {outcomes.Count} result record(s) of profile {settings.Profile.Name} from {string.Join(", ", directories)}");
        output.WriteLine();
        output.WriteLine(ClaimReport.SummaryTable(outcomes));
        foreach (var outcome in outcomes.Where(o => o.Verdict == Verdict.DataMissing))
        {
            output.WriteLine($"data missing in {outcome.Id}: {outcome.Reason}; to fix: {outcome.Fix}");
        }

        var judged = merge.Judge(baselines);
        foreach (var line in judged.Select(j => j.Line).OfType<string>())
        {
            output.WriteLine(line);
        }

        foreach (var outcome in outcomes.Where(o => o.Verdict == Verdict.Error))
        {
            error.WriteLine($"error in {outcome.Id}: {outcome.Reason}");
        }

        output.WriteLine($"report: {string.Join(", ", files)}");
        int code = VerifyCommand.ExitCode(outcomes, failOn);
        return code == 0 && failOnDifference && judged.Any(j => j.Differs) ? VerifyCommand.FailOnVerdict : code;
    }
}
