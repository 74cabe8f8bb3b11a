namespace Grokking.Configuration;

/// <summary>A configuration value that cannot be used: names the key, the value and what is allowed.</summary>
public sealed class OptionsException(string key, string message) : Exception(message)
{
    public string Key { get; } = key;
}
