namespace Grokking.Configuration;

/// <summary>A configuration value that cannot be used: names the key, the value and what is allowed.</summary>
public sealed class OptionsException(string key, string message) : Exception(message)
{
    public string Key { get; } = key;

    /// <summary>"Invalid value for '<paramref name="key"/>': <paramref name="detail"/>", the key named once for both.</summary>
    public static OptionsException InvalidValue(string key, string detail) => new(key, $"Invalid value for '{key}': {detail}");
}
