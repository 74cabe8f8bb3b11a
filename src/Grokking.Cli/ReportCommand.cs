using System.CommandLine;

namespace Grokking.Cli;

/// <summary>grokking report: work on the reports that verify writes (report.json); each subcommand is its own file.</summary>
internal static class ReportCommand
{
    public static Command Create(SharedOptions shared) =>
        new("report", "work on the reports that 'verify' writes (report.json)")
        {
            ReportDiffCommand.Create(shared),
        };
}
