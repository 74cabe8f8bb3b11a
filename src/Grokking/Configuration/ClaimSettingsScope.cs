namespace Grokking.Configuration;

/// <summary>
/// What a command that runs claims (verify, baselines accept, the claim tests) takes from the user's layers: Profile,
/// Runtime, Output and where input data lie. A claim's verdict belongs to its experiment's committed settings for the
/// profile (its runs, cache keys and baselines are those settings'), so an experiment key from --set, --config or a
/// GROKKING__ variable would be ignored; it is refused, naming the key and where it came from, instead of being dropped.
/// </summary>
public static class ClaimSettingsScope
{
    private static readonly string[] Sections = ["Profile", "Runtime", "Output"];

    private static string Allowed =>
        string.Join(", ", Sections.Select(s => s == "Profile" ? s : s + ":*").Concat(DataOptions.LocationKeys));

    /// <summary>The options of a claims run; an experiment key in the user's layers is an <see cref="OptionsException"/>.</summary>
    /// <param name="command">How the caller is named in the message ('verify', 'dotnet test').</param>
    public static GrokkingOptions Load(ConfigurationSources sources, string? repositoryRoot, string command)
    {
        var options = GrokkingConfiguration.Load(sources, repositoryRoot);
        foreach (var (key, origin) in ConfigurationOrigins.Of(sources).All)
        {
            bool allowed = Sections.Contains(key.Split(':')[0], StringComparer.OrdinalIgnoreCase)
                || DataOptions.LocationKeys.Contains(key, StringComparer.OrdinalIgnoreCase);
            if (!allowed)
            {
                throw new OptionsException(
                    key,
                    $"'{key}' (set by {origin}) does not apply to '{command}': claims run with their experiments' committed settings "
                    + $"for the profile; allowed here: {Allowed}; try other settings with 'grokking train'");
            }
        }

        return options;
    }
}
