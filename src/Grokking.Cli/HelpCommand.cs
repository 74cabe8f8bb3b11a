using System.CommandLine;

namespace Grokking.Cli;

/// <summary>grokking help [COMMAND]: the same text as 'grokking [COMMAND] --help', kept for the old 'grokking help'.</summary>
internal static class HelpCommand
{
    public static Command Create(RootCommand root)
    {
        var names = root.Subcommands.Select(c => c.Name).ToArray();
        var target = new Argument<string?>("COMMAND")
        {
            Description = "the command to describe",
            HelpName = "COMMAND",
            Arity = ArgumentArity.ZeroOrOne,
        }.AcceptOnlyFromAmong(names);
        var command = new Command("help", "this text, or a command's: the same as --help") { target };
        command.SetAction(parsed =>
        {
            string[] args = parsed.GetValue(target) is { } name ? [name, "--help"] : ["--help"];
            return root.Parse(args).Invoke(parsed.InvocationConfiguration);
        });
        return command;
    }
}
