namespace Grokking.Claims.Contracts;

/// <summary>One source document of the catalog: its claim-id prefix (MC, PB, ...), file in seeds/, and title.</summary>
public sealed record PaperSource(string Prefix, string Document, string Title);
