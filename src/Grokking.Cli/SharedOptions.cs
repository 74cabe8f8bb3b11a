using System.CommandLine;
using Grokking.Claims;
using Grokking.Configuration;
using Grokking.Data;

namespace Grokking.Cli;

/// <summary>
/// The options every command takes (--profile, --config FILE, --set Section:Key=value), and the configuration
/// they select. Recursive, so they may stand before or after the command name.
/// </summary>
internal sealed class SharedOptions
{
    public Option<Profile?> Profile { get; } = new("--profile")
    {
        Description = "configuration profile (default ci)",
        HelpName = string.Join('|', ProfileNames.All),
        Recursive = true,
        CustomParser = result => ParseProfile(result.Tokens[0].Value, result.AddError),
    };

    public Option<string[]> Config { get; } = new("--config")
    {
        Description = "extra JSON configuration layer (repeatable; later files win)",
        HelpName = "FILE.json",
        Recursive = true,
    };

    public Option<string[]> Set { get; } = new("--set")
    {
        Description = "override one key (repeatable), e.g. --set Train:BatchSize=256 (verify, baselines: Runtime, Output, Data:ImagesDirectory)",
        HelpName = "Section:Key=value",
        Recursive = true,
    };

    public SharedOptions()
    {
        // The enum's own completions would offer "Smoke", "Ci", "Paper"; the documented spelling is lower case.
        Profile.CompletionSources.Clear();
        Profile.CompletionSources.Add(ProfileNames.All.ToArray());
    }

    public IEnumerable<Option> All => [Profile, Config, Set];

    /// <summary>The configuration layers the command line names; --profile is a Profile override under any --set.</summary>
    public ConfigurationSources Sources(ParseResult parsed)
    {
        var profile = parsed.GetValue(Profile);
        IEnumerable<string> overrides = parsed.GetValue(Set) ?? [];
        if (profile is { } p)
        {
            overrides = overrides.Prepend($"Profile={p.Name}");
        }

        return new ConfigurationSources(parsed.GetValue(Config) ?? [], overrides.ToList());
    }

    /// <summary>
    /// The configuration. For train it is also held against the memory the process has (<see cref="ResourceGuard"/>),
    /// before train builds anything: here, because train's own command belongs to its run-directory rules.
    /// </summary>
    public GrokkingOptions Load(ParseResult parsed)
    {
        var options = GrokkingConfiguration.Load(Sources(parsed), RepositoryLocator.TryFind());
        if (parsed.CommandResult.Command.Name == "train")
        {
            ResourceGuard.Check(options, AvailableMemory.Read(), "train");
        }

        return options;
    }

    /// <summary>The configuration of a command that runs claims: see <see cref="ClaimSettingsScope"/>.</summary>
    public GrokkingOptions LoadForClaims(ParseResult parsed, string command) =>
        ClaimSettingsScope.Load(Sources(parsed), RepositoryLocator.TryFind(), command);

    private static Profile? ParseProfile(string value, Action<string> addError)
    {
        if (ProfileNames.TryParse(value, out var profile))
        {
            return profile;
        }

        addError($"Invalid value for '--profile': '{value}'; allowed: {string.Join(", ", ProfileNames.All)}");
        return null;
    }
}
