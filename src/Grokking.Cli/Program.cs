using System.CommandLine;
using System.CommandLine.Invocation;
using Grokking.Claims.Contracts;
using Grokking.Configuration;
using Grokking.Runtime;

namespace Grokking.Cli;

/// <summary>
/// The grokking command. Exit codes: 0 done, 1 a runtime failure (I/O, damaged data such as a truncated checkpoint or
/// an invalid received snapshot, a claim that errored), 2 a bad command line or configuration (an option value, a list
/// element that matches nothing, a configuration key, a malformed JSON file, a memory estimate over what is available, a history
/// file or report.json given to history or report diff that cannot be read),
/// 3 (verify) a --fail-on verdict occurred, 130 (train, verify) interrupted.
/// </summary>
internal static class Program
{
    public const int RuntimeFailure = 1;

    public const int UsageError = 2;

    /// <summary>Ctrl-C: the run checkpointed and the same command resumes it (128 + SIGINT, as shells report it).</summary>
    public const int Interrupted = 130;

    public static int Main(string[] args) => Run(args, Console.Out, Console.Error);

    /// <summary>Parses and runs one command line, writing to the given writers instead of the console (tests).</summary>
    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        try
        {
            var parsed = new GrokkingCommand().Parse(args);

            // System.CommandLine reports parse errors with help text and exit code 1; this command line's convention
            // is one line on stderr and 2, the same as for a bad configuration value.
            if (parsed.Action is ParseErrorAction)
            {
                error.WriteLine(ParseErrorLine.For(parsed));
                return UsageError;
            }

            return parsed.Invoke(new InvocationConfiguration
            {
                Output = output,
                Error = error,
                // Exceptions come here to be mapped to exit codes, not printed with a stack trace.
                EnableDefaultExceptionHandler = false,
                // Ctrl-C belongs to CtrlC: the first one checkpoints; System.CommandLine would end the process 2 s later.
                ProcessTerminationTimeout = null,
            });
        }
        catch (Exception e) when (e is OptionsException or ClaimDefinitionException or Report.HistoryInputException)
        {
            error.WriteLine($"error: {e.Message}");
            return UsageError;
        }
        catch (Exception e) when (Environment.GetEnvironmentVariable("GROKKING_DEBUG") is null)
        {
            // A damaged file's message names the file, the damage and the way out; its type name would add nothing.
            error.WriteLine(e is DamagedFileException ? $"error: {e.Message}" : $"error: {e.GetType().Name}: {e.Message}");
            return RuntimeFailure;
        }
    }
}
