using System.CommandLine;
using System.CommandLine.Help;

namespace Grokking.Cli;

/// <summary>
/// The command tree: shared options on the root (recursive), one subcommand per job. System.CommandLine adds
/// --help and --version, and the [suggest] directive that shell tab completion (dotnet-suggest) calls.
/// </summary>
internal sealed class GrokkingCommand : RootCommand
{
    public GrokkingCommand()
        : base("""
            grokking — executable claims about grokking and loss landscapes.
            Configuration layers, lowest first: built-in defaults, the profile, --config files,
            GROKKING__Section__Key=value environment variables (e.g. GROKKING__Profile=paper), --set overrides.
            Exit codes: 0 ok; 1 a runtime failure (I/O, damaged data such as a truncated checkpoint, an invalid received
            snapshot or an IDX file that does not decompress; a claim that errored);
            2 a usage or configuration error (an unknown option, a bad or repeated key, a list element that is empty or
            matches nothing, a malformed JSON file, an experiment setting given to verify, a memory estimate over the
            memory available; a history file or a report.json that cannot be read, named);
            3 a verdict named in verify --fail-on (an ERROR claim outranks it: 1; DATA MISSING exits 0, with its fix;
            GROKKING_NO_INSTALL=1 stops verify and the tests from installing missing data); 130 interrupted (train, verify).
            report merge: 2 a claim without a result record or with several, 1 a damaged record, 3 also --fail-on-difference.
            Errors are one line naming the file, key or variable (JSON line and column 1-based). verify and baselines
            accept take only Profile, Runtime:*, Output:* and Data:ImagesDirectory (a claim runs with its experiment's
            committed settings).
            """)
    {
        HelpName = "grokking";
        foreach (var option in Shared.All)
        {
            Add(option);
        }

        Add(VerifyCommand.Create(Shared));
        Add(BaselinesCommand.Create(Shared));
        Add(ReportCommand.Create(Shared));
        Add(InfoCommand.Create(Shared));
        Add(TrainCommand.Create(Shared));
        Add(BenchCommand.Create(Shared));
        Add(HistoryCommand.Create(Shared));
        Add(HelpCommand.Create(this));

        // A bare 'grokking' prints the help and succeeds, as before; System.CommandLine would call it an error.
        SetAction(parsed => new HelpAction().Invoke(parsed));
    }

    public SharedOptions Shared { get; } = new();
}
