namespace Grokking.Configuration;

public enum Profile
{
    Smoke,
    Ci,
    Paper,
}

/// <summary>
/// The one place a <see cref="Profile"/> becomes text and back. Code passes the enum; its lower-case name appears
/// only at the edges: file names (profile.ci.json, baselines/ci/), claim files ("undecidableAt": { "ci": … }),
/// configuration values (Profile=ci) and messages. The JSON writers' camel-case enum converter gives the same names.
/// </summary>
public static class ProfileNames
{
    /// <summary>Every profile's name, in enum order (smoke, ci, paper).</summary>
    public static IReadOnlyList<string> All { get; } = [.. Enum.GetValues<Profile>().Select(p => p.Name)];

    extension(Profile profile)
    {
        /// <summary>The documented lower-case spelling: "smoke", "ci" or "paper".</summary>
        public string Name => profile switch
        {
            Profile.Smoke => "smoke",
            Profile.Ci => "ci",
            Profile.Paper => "paper",
            _ => throw new ArgumentOutOfRangeException(nameof(profile), profile, "not a profile"),
        };
    }

    /// <summary>Reads a profile name, ignoring case; unlike Enum.TryParse, "1" is not a profile.</summary>
    public static bool TryParse(string? name, out Profile profile)
    {
        foreach (var candidate in Enum.GetValues<Profile>())
        {
            if (string.Equals(candidate.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                profile = candidate;
                return true;
            }
        }

        profile = default;
        return false;
    }
}
