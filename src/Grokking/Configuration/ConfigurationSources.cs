namespace Grokking.Configuration;

/// <summary>Where configuration comes from, lowest precedence first after the built-in defaults and profile.</summary>
public sealed record ConfigurationSources(
    IReadOnlyList<string>? JsonFiles = null,
    IReadOnlyList<string>? Overrides = null,
    bool EnvironmentVariables = true);
