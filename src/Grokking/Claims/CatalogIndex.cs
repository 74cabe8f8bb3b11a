using System.Text;
using Grokking.Claims.Contracts;

namespace Grokking.Claims;

/// <summary>
/// claims/README.md: the readable index of the catalog, generated from claims/catalog.json and the claim files so it
/// cannot drift from them. Every paper with its title, authors and where a reader finds it; every claim with its title,
/// section and figure. tests/Unit/Claims/ClaimCatalogIndexTests.cs fails when the committed file is stale and
/// rewrites it when <see cref="WriteVariable"/> is set.
/// </summary>
public static class CatalogIndex
{
    /// <summary>The index's file name inside claims/.</summary>
    public const string FileName = "README.md";

    /// <summary>Set to 1 to have the index test write the file instead of comparing it.</summary>
    public const string WriteVariable = "GROKKING_WRITE_CLAIMS_INDEX";

    /// <summary>
    /// Writes claims/README.md from the catalog when it differs (atomically); true when it changed. Run by
    /// <c>grokking baselines accept</c>, so adding a claim stays its file plus accepting its baselines.
    /// </summary>
    public static bool Refresh(string claimsDirectory)
    {
        string path = Path.Combine(claimsDirectory, FileName);
        string generated = Markdown(ClaimCatalog.Load(claimsDirectory));
        if (File.Exists(path) && File.ReadAllText(path) == generated)
        {
            return false;
        }

        Runtime.AtomicFile.WriteAllText(path, generated);
        return true;
    }

    public static string Markdown(ClaimCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(catalog);

        var md = new StringBuilder();
        AppendIntroduction(md);
        AppendPapers(md, catalog.Papers);
        md.AppendLine();
        md.AppendLine("## Claims");
        foreach (var paper in catalog.Papers)
        {
            AppendClaims(md, paper, catalog.Claims.Where(c => c.CatalogPaper?.Prefix == paper.Prefix).ToList());
        }

        return md.ToString().ReplaceLineEndings("\n");
    }

    private static void AppendIntroduction(StringBuilder md)
    {
        md.AppendLine("# Papers and claims").AppendLine();
        md.AppendLine("<!-- Generated from catalog.json and the claim files; do not edit by hand. `./grokking baselines accept`")
            .AppendLine("     rewrites it (so does " + WriteVariable + "=1 dotnet test tests/Unit --filter FullyQualifiedName~ClaimCatalogIndex) -->")
            .AppendLine();
        md.AppendLine("Every claim the harness tests, by paper. `catalog.json` lists the papers (the claim-id prefixes); each")
            .AppendLine("`<ID>.json` holds one claim: its statement in the team's words, the paper's section and figure, the paper's")
            .AppendLine("numbers, the experiment, the decision rule and its parameters. \"Team's copy\" is the file name of the")
            .AppendLine("document the team worked from; it is not part of the repository, so a reader finds the paper as the")
            .AppendLine("\"Where to find it\" column says.").AppendLine();
    }

    private static void AppendPapers(StringBuilder md, IReadOnlyList<PaperSource> papers)
    {
        md.AppendLine("## Papers").AppendLine();
        md.AppendLine("| Prefix | Title | Authors | Where to find it | Team's copy |");
        md.AppendLine("|---|---|---|---|---|");
        foreach (var paper in papers)
        {
            string[] cells = [paper.Prefix, paper.Title, paper.AuthorLine, paper.WhereToFind, $"`{paper.Document}`"];
            md.Append("| ").AppendJoin(" | ", cells.Select(Cell)).AppendLine(" |");
        }
    }

    /// <summary>One paper's section: its heading, then a table of its claims (a line saying it has none yet).</summary>
    private static void AppendClaims(StringBuilder md, PaperSource paper, List<ClaimDefinition> claims)
    {
        md.AppendLine();
        md.Append("### ").Append(paper.Prefix).Append(" — ").AppendLine(Cell(paper.Title)).AppendLine();
        if (claims.Count == 0)
        {
            md.AppendLine("No claims yet.");
            return;
        }

        md.AppendLine("| Claim | Title | Section | Figure | Scope | Negative control |");
        md.AppendLine("|---|---|---|---|---|---|");
        foreach (var claim in claims)
        {
            md.Append("| [").Append(claim.Id).Append("](").Append(claim.Id).Append(".json) | ")
                .AppendJoin(" | ", ClaimCells(claim).Select(Cell)).AppendLine(" |");
        }
    }

    /// <summary>
    /// A claim's cells after its link: title, section, figure, scope (universal or typical) and the name of its negative
    /// control (issue 25); "—" where the paper shows no figure or the claim file states no scope or control yet.
    /// </summary>
    internal static string[] ClaimCells(ClaimDefinition claim) =>
        [claim.Title, claim.Section, claim.Figure ?? "—", claim.Scope?.Kind ?? "—", claim.Control?.Name ?? "—"];

    /// <summary>One table cell: a pipe would end the cell and a line break the row.</summary>
    private static string Cell(string text) => text.ReplaceLineEndings(" ").Replace("|", "\\|", StringComparison.Ordinal);
}
