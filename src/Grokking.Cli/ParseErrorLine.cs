using System.CommandLine;
using System.CommandLine.Parsing;

namespace Grokking.Cli;

/// <summary>A command line's parse errors as the one "error: ..." line that the other usage errors use.</summary>
internal static class ParseErrorLine
{
    public static string For(ParseResult parsed)
    {
        // Some built-in messages span lines (a list of allowed values); a log shows the error on one.
        var messages = parsed.Errors
            .Select(e => e.Message.Split(['\r', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .Select(words => string.Join(' ', words).TrimEnd('.'))
            .Distinct();
        return $"error: {string.Join("; ", messages)} (see '{CommandPath(parsed.CommandResult)} --help')";
    }

    private static string CommandPath(CommandResult result)
    {
        var names = new List<string>();
        for (SymbolResult? r = result; r is not null; r = r.Parent)
        {
            if (r is CommandResult c)
            {
                names.Insert(0, c.Command is RootCommand root ? root.HelpName ?? root.Name : c.Command.Name);
            }
        }

        return string.Join(' ', names);
    }
}
