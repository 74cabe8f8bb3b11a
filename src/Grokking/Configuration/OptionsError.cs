namespace Grokking.Configuration;

/// <summary>A configuration value that cannot be used: names the key, the value and what is allowed.</summary>
public sealed class OptionsException(string key, string message) : Exception(message)
{
    public string Key { get; } = key;
}

/// <summary>Implemented by option sections whose keys constrain each other (heads must divide d_model, ...).</summary>
public interface ICrossValidated
{
    /// <returns>(key relative to the section, message) pairs; empty when valid.</returns>
    IEnumerable<(string Key, string Message)> Validate();
}
