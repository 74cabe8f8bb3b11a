using System.CommandLine;

namespace Grokking.Cli;

/// <summary>
/// grokking report &lt;subcommand&gt;: work on what verifies wrote (result records, report.json), never running a claim. A
/// parent command: each subcommand is one class beside this one, added here.
/// </summary>
internal static class ReportCommand
{
    public static Command Create(SharedOptions shared) =>
        new("report", "work on what verifies wrote: merge sharded result records, diff two reports")
        {
            ReportMergeCommand.Create(shared),
            ReportDiffCommand.Create(shared),
        };
}
