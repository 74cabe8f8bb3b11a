using System.CommandLine;
using Grokking.Claims;
using Grokking.Configuration;
using Grokking.Report;

namespace Grokking.Cli;

/// <summary>
/// grokking history [CLAIM...] [--last N] [--add REPORT]: each claim's verdicts and measured values (with their intervals)
/// over the verifies recorded at the profile, printed and plotted (report/history/&lt;ID&gt;.png and .svg); --add appends a
/// report.json made elsewhere (a CI job's merged report) instead. A damaged history exits 2 naming the file.
/// </summary>
internal static class HistoryCommand
{
    public static Command Create(SharedOptions shared)
    {
        var claims = new Argument<string[]>("CLAIM")
        {
            Description = "claims or patterns such as MC-* (default: every claim in the history)",
            HelpName = "CLAIM",
            Arity = ArgumentArity.ZeroOrMore,
        };
        claims.CompletionSources.Add(ClaimIdCompletions.List);
        var last = OptionRules.PositiveInt("--last", "N", 10, "results printed per claim, newest last (the plots show every entry)");
        var add = new Option<string?>("--add")
        {
            Description = "append this report.json (or report folder) to the history instead of showing it: a verify made elsewhere",
            HelpName = "REPORT",
        };
        var command = new Command(
            "history",
            "each claim's verdicts and values over the recorded verifies at the profile, printed and plotted into "
            + $"<report>/{HistoryActions.PlotFolder}/")
        {
            claims, last, add,
        };
        command.Validators.Add(result =>
        {
            if (result.GetValue(add) is not null && result.GetValue(claims) is { Length: > 0 })
            {
                result.AddError("Invalid value for '--add': it appends a report and shows nothing; name no CLAIM with it");
            }
        });
        command.SetAction(parsed =>
        {
            var options = shared.Load(parsed);
            string? root = RepositoryLocator.TryFind();
            string history = HistoryLocation.Of(options.Output, root);
            if (parsed.GetValue(add) is { } report)
            {
                parsed.InvocationConfiguration.Output.WriteLine(HistoryActions.Record(history, report));
                return 0;
            }

            string folder = Path.GetFullPath(options.Output.ReportDirectory, root ?? Directory.GetCurrentDirectory());
            string plots = Path.Combine(folder, HistoryActions.PlotFolder);
            return HistoryActions.Show(
                history, options.Profile, parsed.GetValue(claims) ?? [], parsed.GetValue(last), plots, parsed.InvocationConfiguration.Output);
        });
        return command;
    }
}
