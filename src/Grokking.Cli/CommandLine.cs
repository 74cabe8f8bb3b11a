namespace Grokking.Cli;

/// <summary>
/// The parsed command line: a verb, positional arguments, and the options shared by every verb
/// (--profile, --config FILE, --set Section:Key=value) plus verb-specific flags.
/// </summary>
internal sealed class CommandLine
{
    public string Verb { get; private init; } = "help";

    public List<string> Positional { get; } = [];

    public List<string> ConfigFiles { get; } = [];

    public List<string> Overrides { get; } = [];

    public Dictionary<string, string> Flags { get; } = new(StringComparer.Ordinal);

    /// <summary>Flags that take a value; others are switches.</summary>
    private static readonly HashSet<string> ValueFlags = ["--profile", "--config", "--set", "--claims", "--fail-on", "--out", "--run", "--members", "--epochs"];

    private static readonly HashSet<string> Switches = ["--help", "--no-progress", "--force", "--resume"];

    public static CommandLine Parse(IReadOnlyList<string> args)
    {
        var result = new CommandLine { Verb = args.Count == 0 ? "help" : args[0] };
        for (int i = 1; i < args.Count; i++)
        {
            string arg = args[i];
            string? inlineValue = null;
            int eq = arg.IndexOf('=', StringComparison.Ordinal);
            if (arg.StartsWith("--", StringComparison.Ordinal) && eq > 0)
            {
                (arg, inlineValue) = (arg[..eq], arg[(eq + 1)..]);
            }

            if (ValueFlags.Contains(arg))
            {
                string value = inlineValue ?? (i + 1 < args.Count ? args[++i] : throw new UsageException($"{arg} needs a value"));
                switch (arg)
                {
                    case "--config":
                        result.ConfigFiles.Add(value);
                        break;
                    case "--set":
                        result.Overrides.Add(value);
                        break;
                    case "--profile":
                        result.Overrides.Add($"Profile={value}");
                        break;
                    default:
                        result.Flags[arg] = value;
                        break;
                }
            }
            else if (Switches.Contains(arg))
            {
                result.Flags[arg] = "true";
            }
            else if (arg.StartsWith("--", StringComparison.Ordinal))
            {
                throw new UsageException($"unknown option '{arg}'; known: {string.Join(", ", ValueFlags.Concat(Switches).Order())}");
            }
            else
            {
                result.Positional.Add(arg);
            }
        }

        return result;
    }

    public bool Has(string flag) => Flags.ContainsKey(flag);

    public string? Get(string flag) => Flags.TryGetValue(flag, out var v) ? v : null;
}

internal sealed class UsageException(string message) : Exception(message);
