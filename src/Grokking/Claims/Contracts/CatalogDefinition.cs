namespace Grokking.Claims.Contracts;

/// <summary>claims/catalog.json: the papers (their prefixes name the claim ids) and the default baseline tolerance.</summary>
public sealed class CatalogDefinition
{
    public const string FileName = "catalog.json";

    public List<PaperSource> Papers { get; set; } = [];

    /// <summary>Used by every claim that does not override it.</summary>
    public BaselineTolerance? BaselineTolerance { get; set; }
}
