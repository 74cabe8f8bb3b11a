namespace Grokking.Configuration;

/// <summary>Implemented by option sections whose keys constrain each other (heads must divide d_model, ...).</summary>
public interface ICrossValidated
{
    /// <returns>(key relative to the section, message) pairs; empty when valid.</returns>
    IEnumerable<(string Key, string Message)> Validate();
}
