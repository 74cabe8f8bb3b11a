namespace Grokking.Claims.Contracts;

/// <summary>
/// One paper of claims/catalog.json: its claim-id prefix (MC, PB, ...), the file name of the team's copy of the
/// document (kept outside the repository), and what a reader needs to find the paper itself: its title and authors
/// as the document gives them, and where it is published as the document states it (an arXiv id, a URL, a venue), or
/// what the document says instead. The catalog loader rejects a paper with any of these missing or blank.
/// </summary>
public sealed record PaperSource(string Prefix, string Document, string Title, IReadOnlyList<string> Authors, string WhereToFind)
{
    /// <summary>The authors on one line, as claims/README.md prints them.</summary>
    public string AuthorLine => string.Join(", ", Authors ?? []);
}
