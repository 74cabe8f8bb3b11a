using System.CommandLine;
using Grokking.Claims;
using Grokking.Report;

namespace Grokking.Cli;

/// <summary>
/// grokking report diff A B [--out FILE.md]: two verifies compared, each a report.json (or its folder) or a history entry
/// (an id, latest, latest~N, a commit): verdicts changed, values moved beyond their interval, claims new and missing, as a
/// Markdown table on stdout (and in FILE.md). Informational: exits 0 whatever changed; 2 when A or B cannot be read.
/// </summary>
internal static class ReportDiffCommand
{
    public static Command Create(SharedOptions shared)
    {
        var before = new Argument<string>("A") { Description = $"the earlier verify: {HistoryReference.Forms}" };
        var after = new Argument<string>("B") { Description = "the later verify, in the same forms" };
        var markdown = new Option<string?>("--out")
        {
            Description = "also write the Markdown to this file (e.g. for a job summary)",
            HelpName = "FILE.md",
        };
        var command = new Command("diff", "compare two verifies: verdicts changed, values beyond their interval, new and missing claims")
        {
            before, after, markdown,
        };
        command.SetAction(parsed =>
        {
            var options = shared.Load(parsed);
            return HistoryActions.Diff(
                parsed.GetValue(before)!,
                parsed.GetValue(after)!,
                HistoryLocation.Of(options.Output, RepositoryLocator.TryFind()),
                options.Profile,
                parsed.GetValue(markdown),
                parsed.InvocationConfiguration.Output);
        });
        return command;
    }
}
