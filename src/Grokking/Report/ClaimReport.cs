using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using Grokking.Claims;
using Grokking.Runtime;
using Grokking.Claims.Contracts;

namespace Grokking.Report;

/// <summary>
/// The verification report of a set of claims, written three ways: Markdown (fits a GitHub job summary), a
/// self-contained HTML page (figures inlined, so it can be mailed or uploaded as one artifact) and JSON for tools.
/// </summary>
public static class ClaimReport
{
    public const string MarkdownFile = "report.md";
    public const string HtmlFile = "report.html";
    public const string JsonFile = "report.json";

    private const string ReportTitle = "Grokking claims report";
    private const string Absent = "—";
    private const int ConsoleTitleWidth = 50;
    private const int KeyMeasuredCount = 2;

    private static readonly string[] SummaryHeaders = ["Claim", "Title", "Verdict", "Key measured vs paper", "Diverged", "Seconds"];
    private static readonly string[] ExperimentHeaders = ["Experiment", "Training minutes", "Claims"];
    private static readonly string[] MeasuredHeaders = ["Name", "Measured", "Paper", "Unit", "Tolerance", "Per seed"];
    private static readonly string[] ConsoleHeaders = ["Claim", "Verdict", "Title", "Key measured vs paper"];

    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        // Diverged runs measure NaN or infinity, and the report must still be written.
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        // The file is read as JSON and never inlined into HTML, so statements with θ, ≤ or < may stay readable.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    /// <summary>Writes report.md, report.html and report.json into <paramref name="directory"/>.</summary>
    /// <remarks>Figure paths in the outcomes are relative to <paramref name="directory"/>.</remarks>
    public static IReadOnlyList<string> Write(string directory, ReportEnvironment environment, IReadOnlyList<ClaimOutcome> outcomes)
    {
        ArgumentNullException.ThrowIfNull(directory);
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(outcomes);

        var counts = Counts.Of(outcomes);
        string markdown = Path.Combine(directory, MarkdownFile);
        string html = Path.Combine(directory, HtmlFile);
        string json = Path.Combine(directory, JsonFile);
        AtomicFile.WriteAllText(markdown, Markdown(environment, counts, outcomes));
        AtomicFile.WriteAllText(html, Html(directory, environment, counts, outcomes));
        AtomicFile.WriteAllText(json, JsonSerializer.Serialize(new Document(environment, counts, outcomes), JsonOptions));
        return [markdown, html, json];
    }

    /// <summary>A plain-text fixed-width table of the outcomes, for the console.</summary>
    public static string SummaryTable(IReadOnlyList<ClaimOutcome> outcomes)
    {
        ArgumentNullException.ThrowIfNull(outcomes);

        var rows = outcomes
            .Select(o => new[]
            {
                OneLine(o.Id), Badge(o.Verdict), Truncate(OneLine(o.Title), ConsoleTitleWidth), OneLine(KeyMeasured(o)),
            })
            .ToList();
        int[] widths =
            [.. ConsoleHeaders.Select((header, column) => rows.Select(r => r[column].Length).Append(header.Length).Max())];

        var text = new StringBuilder();
        AppendFixedWidthRow(text, ConsoleHeaders, widths);
        AppendFixedWidthRow(text, [.. widths.Select(w => new string('-', w))], widths);
        foreach (string[] row in rows)
        {
            AppendFixedWidthRow(text, row, widths);
        }

        text.AppendLine(Counts.Of(outcomes).ToString());
        return text.ToString();
    }

    // ---- Text shared by all renderings (raw; each format escapes it its own way) ----

    private static string Badge(Verdict verdict) => verdict switch
    {
        Verdict.Confirmed => "CONFIRMED",
        Verdict.Refuted => "REFUTED",
        Verdict.Inconclusive => "INCONCLUSIVE",
        _ => verdict.ToString().ToUpperInvariant(),
    };

    private static string EnvironmentLine(ReportEnvironment e) => string.Join(" · ",
        $"profile {e.Profile}",
        $"device {e.Device}",
        $"{e.Threads.ToString(CultureInfo.InvariantCulture)} threads",
        $"TorchSharp {e.TorchSharpVersion}",
        $"libtorch {e.LibTorchVersion}",
        $"commit {ShortCommit(e.GitCommit)}",
        $"duration {Duration(e.Seconds)}");

    private static string EnvironmentDetails(ReportEnvironment e) => string.Join(" · ",
        $"machine {e.Machine}",
        $"started {e.Started.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)} UTC",
        $"libstdc++ shim {e.LibStdCxxShim}");

    /// <summary>The first measured values, enough to judge a claim from the summary table alone.</summary>
    private static string KeyMeasured(ClaimOutcome outcome) =>
        outcome.Measured.Count == 0
            ? Absent
            : string.Join("; ", outcome.Measured.Take(KeyMeasuredCount).Select(MeasuredVersusPaper));

    private static string MeasuredVersusPaper(MeasuredValue value)
    {
        string unit = string.IsNullOrEmpty(value.Unit) ? string.Empty : " " + value.Unit;
        string paper = value.Paper is { } p ? $" (paper {Number(p)})" : string.Empty;
        return $"{value.Name}: {Number(value.Value)}{unit}{paper}";
    }

    private static string[] MeasuredCells(MeasuredValue value) =>
    [
        value.Name,
        Number(value.Value),
        value.Paper is { } paper ? Number(paper) : Absent,
        string.IsNullOrEmpty(value.Unit) ? Absent : value.Unit,
        value.Tolerance ?? Absent,
        value.PerSeed is { Count: > 0 } perSeed ? string.Join(", ", perSeed.Select(Number)) : Absent,
    ];

    private static string SeedsLine(ClaimOutcome outcome)
    {
        string seeds = outcome.Seeds.Count == 0
            ? "none"
            : string.Join(", ", outcome.Seeds.Select(s => s.ToString(CultureInfo.InvariantCulture)));
        return $"Seeds: {seeds} (combined: {outcome.SeedCombination})";
    }

    private static string DivergedCell(ClaimOutcome outcome) =>
        outcome.Divergences.Count == 0 ? "0" : $"{outcome.Divergences.Count} of {outcome.Seeds.Count}";

    private static string DivergenceLine(ClaimOutcome outcome) => outcome.Divergences.Count == 0
        ? "Divergences: none"
        : $"Divergences: {outcome.Divergences.Count} member(s) diverged (non-finite loss or gradient; frozen intact before the bad step, reported, decided without them): "
            + string.Join("; ", outcome.Divergences.Select(d => string.Create(CultureInfo.InvariantCulture, $"{d.Member} at step {d.Step} (epoch {d.Epoch:0})")));

    private static string SetupLine(ClaimOutcome outcome) => outcome.ProfileChanges.Count == 0
        ? $"Setup: the paper profile's (training {outcome.TrainMinutes.ToString("F1", CultureInfo.InvariantCulture)} min)"
        : $"Setup: the paper's except ({outcome.Profile}, training {outcome.TrainMinutes.ToString("F1", CultureInfo.InvariantCulture)} min): " + string.Join("; ", outcome.ProfileChanges);

    private static IEnumerable<string[]> ExperimentRows(IReadOnlyList<ClaimOutcome> outcomes) => outcomes
        .GroupBy(o => o.Experiment.Split(' ')[0])
        .Select(g => new[] { g.Key, g.Max(o => o.TrainMinutes).ToString("F1", CultureInfo.InvariantCulture), string.Join(", ", g.Select(o => o.Id)) });

    private static string RunLine(ClaimOutcome outcome) => $"Profile: {outcome.Profile} · experiment: {outcome.Experiment}";

    /// <summary>G4, except that step counts (10^4 to 10^7) print whole: G4 would show 12000 as 1.2E+04.</summary>
    private static string Number(double value) =>
        Math.Abs(value) is >= 1e4 and < 1e7
            ? value.ToString("F0", CultureInfo.InvariantCulture)
            : value.ToString("G4", CultureInfo.InvariantCulture);

    private static string Seconds(double seconds) => seconds.ToString("F1", CultureInfo.InvariantCulture);

    private static string Duration(double seconds)
    {
        if (!double.IsFinite(seconds) || seconds < 60)
        {
            return Seconds(seconds) + " s";
        }

        var span = TimeSpan.FromSeconds(seconds);
        return span.TotalHours >= 1
            ? string.Create(CultureInfo.InvariantCulture, $"{(int)span.TotalHours} h {span.Minutes:00} min")
            : string.Create(CultureInfo.InvariantCulture, $"{span.Minutes} min {span.Seconds:00} s");
    }

    private static string ShortCommit(string commit) =>
        string.IsNullOrWhiteSpace(commit) ? "unknown" : commit.Length > 12 ? commit[..12] : commit;

    private static string OneLine(string text) => text.ReplaceLineEndings(" ");

    private static string Truncate(string text, int width) => text.Length <= width ? text : text[..(width - 3)] + "...";

    private static void AppendFixedWidthRow(StringBuilder text, IReadOnlyList<string> cells, int[] widths)
    {
        for (int column = 0; column < cells.Count; column++)
        {
            bool last = column == cells.Count - 1;
            // The last column is left unpadded: trailing spaces only make narrow consoles wrap.
            text.Append(last ? cells[column] : cells[column].PadRight(widths[column] + 2));
        }

        text.AppendLine();
    }

    // ---- Markdown ----

    private static string Markdown(ReportEnvironment environment, Counts counts, IReadOnlyList<ClaimOutcome> outcomes)
    {
        var md = new StringBuilder();
        md.Append("# ").AppendLine(ReportTitle).AppendLine();
        // Two trailing spaces: a Markdown line break, keeping the details visually part of the environment line.
        md.Append(MdText(EnvironmentLine(environment))).AppendLine("  ");
        md.AppendLine(MdText(EnvironmentDetails(environment))).AppendLine();
        md.Append("**").Append(counts).AppendLine("**").AppendLine();

        AppendMarkdownTable(md, SummaryHeaders, outcomes.Select(o => new[]
        {
            MdCell(o.Id), MdCell(o.Title), $"**{Badge(o.Verdict)}**", MdCell(KeyMeasured(o)), DivergedCell(o), Seconds(o.Seconds),
        }));

        md.AppendLine("Minutes per experiment (training, shared by its claims):").AppendLine();
        AppendMarkdownTable(md, ExperimentHeaders, ExperimentRows(outcomes).Select(r => r.Select(MdCell).ToArray()));

        foreach (var outcome in outcomes)
        {
            AppendMarkdownClaim(md, outcome);
        }

        // Every block ends in a blank line; the file should end in exactly one newline.
        return md.ToString().TrimEnd() + "\n";
    }

    private static void AppendMarkdownClaim(StringBuilder md, ClaimOutcome outcome)
    {
        md.Append("### ").Append(MdText(outcome.Id)).Append(" — ").AppendLine(MdText(OneLine(outcome.Title))).AppendLine();
        foreach (string line in outcome.Statement.ReplaceLineEndings("\n").Split('\n'))
        {
            md.Append("> ").AppendLine(MdText(line));
        }

        md.AppendLine();
        md.Append("Source: ").AppendLine(MdText(outcome.Source)).AppendLine();
        md.Append("Verdict: **").Append(Badge(outcome.Verdict)).Append("** — ").AppendLine(MdText(outcome.Reason)).AppendLine();

        if (outcome.Measured.Count == 0)
        {
            md.AppendLine("No measured values.").AppendLine();
        }
        else
        {
            AppendMarkdownTable(md, MeasuredHeaders, outcome.Measured.Select(v => MeasuredCells(v).Select(MdCell).ToArray()));
        }

        md.AppendLine(MdText(SeedsLine(outcome))).AppendLine();
        md.AppendLine(MdText(DivergenceLine(outcome))).AppendLine();
        md.AppendLine(MdText(RunLine(outcome))).AppendLine();
        md.AppendLine(MdText(SetupLine(outcome))).AppendLine();

        if (outcome.Choices.Count > 0)
        {
            md.AppendLine("Choices:").AppendLine();
            foreach (string choice in outcome.Choices)
            {
                md.Append("- ").AppendLine(MdText(OneLine(choice)));
            }

            md.AppendLine();
        }

        foreach (var figure in outcome.Figures)
        {
            md.Append("![").Append(MdLinkText(figure.Title)).Append("](").Append(MdPath(figure.PngPath)).AppendLine(")");
            md.AppendLine();
        }
    }

    private static void AppendMarkdownTable(StringBuilder md, IReadOnlyList<string> headers, IEnumerable<string[]> rows)
    {
        md.Append("| ").AppendJoin(" | ", headers).AppendLine(" |");
        md.Append('|').AppendJoin('|', headers.Select(_ => " --- ")).AppendLine("|");
        foreach (string[] row in rows)
        {
            md.Append("| ").AppendJoin(" | ", row).AppendLine(" |");
        }

        md.AppendLine();
    }

    /// <summary>
    /// Keeps text literal: GitHub renders inline HTML, so a statement like "a &lt;b&gt; c" would vanish. A lone
    /// '&gt;' only matters at the start of a line, where no caller puts text unprefixed, so "&gt;= 0.95" stays as typed.
    /// </summary>
    private static string MdText(string text) => text.Replace("<", "&lt;", StringComparison.Ordinal);

    /// <summary>A pipe or a newline would end the table cell early.</summary>
    private static string MdCell(string text) =>
        MdText(text).Replace("|", "\\|", StringComparison.Ordinal).ReplaceLineEndings("<br>");

    private static string MdLinkText(string text) =>
        MdText(OneLine(text)).Replace("[", "\\[", StringComparison.Ordinal).Replace("]", "\\]", StringComparison.Ordinal);

    /// <summary>Escapes each segment, so spaces or parentheses in a file name cannot end the link early.</summary>
    private static string MdPath(string path) =>
        string.Join('/', path.Replace('\\', '/').Split('/').Select(Uri.EscapeDataString));

    // ---- HTML ----

    private const string Css = """
        body { font-family: -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; max-width: 1100px; margin: 2em auto; padding: 0 1em; color: #1f2328; line-height: 1.5; }
        h1 { border-bottom: 1px solid #d0d7de; padding-bottom: .3em; }
        h3 { margin-top: 2em; border-bottom: 1px solid #d0d7de; padding-bottom: .2em; }
        .env { color: #59636e; font-size: .9em; }
        table { border-collapse: collapse; margin: 1em 0; font-size: .9em; }
        th, td { border: 1px solid #d0d7de; padding: .3em .6em; text-align: left; vertical-align: top; }
        th { background: #f6f8fa; }
        blockquote { margin: 1em 0; padding: 0 1em; color: #59636e; border-left: .25em solid #d0d7de; }
        .badge { display: inline-block; padding: .1em .5em; border-radius: 1em; font-weight: 600; font-size: .85em; }
        .confirmed { color: #1a7f37; background: #dafbe1; }
        .refuted { color: #cf222e; background: #ffebe9; }
        .inconclusive { color: #9a6700; background: #fff8c5; }
        figure { margin: 1em 0; }
        figure img { max-width: 100%; border: 1px solid #d0d7de; }
        figcaption, .missing { color: #59636e; font-size: .9em; }
        """;

    private static string Html(string directory, ReportEnvironment environment, Counts counts, IReadOnlyList<ClaimOutcome> outcomes)
    {
        var html = new StringBuilder();
        html.AppendLine("<!DOCTYPE html>")
            .AppendLine("<html lang=\"en\">")
            .AppendLine("<head>")
            .AppendLine("<meta charset=\"utf-8\">")
            .AppendLine("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
            .Append("<title>").Append(H(ReportTitle)).AppendLine("</title>")
            .Append("<style>").AppendLine().Append(Css).AppendLine("</style>")
            .AppendLine("</head>")
            .AppendLine("<body>");

        html.Append("<h1>").Append(H(ReportTitle)).AppendLine("</h1>");
        html.Append("<p class=\"env\">").Append(H(EnvironmentLine(environment))).Append("<br>")
            .Append(H(EnvironmentDetails(environment))).AppendLine("</p>");
        html.Append("<p>")
            .Append(HtmlBadge(Verdict.Confirmed, counts.Confirmed)).Append(' ')
            .Append(HtmlBadge(Verdict.Refuted, counts.Refuted)).Append(' ')
            .Append(HtmlBadge(Verdict.Inconclusive, counts.Inconclusive))
            .AppendLine("</p>");

        AppendHtmlTable(html, SummaryHeaders, outcomes.Select(o => new[]
        {
            $"<a href=\"#{Anchor(o.Id)}\">{H(o.Id)}</a>", H(o.Title), HtmlBadge(o.Verdict), H(KeyMeasured(o)), H(DivergedCell(o)), Seconds(o.Seconds),
        }));
        html.AppendLine("<p>Minutes per experiment (training, shared by its claims):</p>");
        AppendHtmlTable(html, ExperimentHeaders, ExperimentRows(outcomes).Select(r => r.Select(H).ToArray()));

        foreach (var outcome in outcomes)
        {
            AppendHtmlClaim(html, directory, outcome);
        }

        html.AppendLine("</body>").AppendLine("</html>");
        return html.ToString();
    }

    private static void AppendHtmlClaim(StringBuilder html, string directory, ClaimOutcome outcome)
    {
        html.Append("<section id=\"").Append(Anchor(outcome.Id)).AppendLine("\">");
        html.Append("<h3>").Append(H(outcome.Id)).Append(" — ").Append(H(outcome.Title)).AppendLine("</h3>");
        html.Append("<blockquote>").Append(H(outcome.Statement)).AppendLine("</blockquote>");
        html.Append("<p>Source: ").Append(H(outcome.Source)).AppendLine("</p>");
        html.Append("<p>Verdict: ").Append(HtmlBadge(outcome.Verdict)).Append(" — ").Append(H(outcome.Reason)).AppendLine("</p>");

        if (outcome.Measured.Count == 0)
        {
            html.AppendLine("<p>No measured values.</p>");
        }
        else
        {
            AppendHtmlTable(html, MeasuredHeaders, outcome.Measured.Select(v => MeasuredCells(v).Select(H).ToArray()));
        }

        html.Append("<p>").Append(H(SeedsLine(outcome))).Append("<br>").Append(H(DivergenceLine(outcome))).Append("<br>").Append(H(RunLine(outcome))).Append("<br>").Append(H(SetupLine(outcome))).AppendLine("</p>");

        if (outcome.Choices.Count > 0)
        {
            html.AppendLine("<p>Choices:</p>").AppendLine("<ul>");
            foreach (string choice in outcome.Choices)
            {
                html.Append("<li>").Append(H(choice)).AppendLine("</li>");
            }

            html.AppendLine("</ul>");
        }

        foreach (var figure in outcome.Figures)
        {
            AppendHtmlFigure(html, directory, figure);
        }

        html.AppendLine("</section>");
    }

    /// <summary>Inlines the PNG, so the page stays one self-contained file.</summary>
    private static void AppendHtmlFigure(StringBuilder html, string directory, ClaimFigure figure)
    {
        string path = Path.Combine(directory, figure.PngPath);
        html.AppendLine("<figure>");
        if (File.Exists(path))
        {
            html.Append("<img alt=\"").Append(H(figure.Title)).Append("\" src=\"data:image/png;base64,")
                .Append(Convert.ToBase64String(File.ReadAllBytes(path))).AppendLine("\">");
        }
        else
        {
            html.Append("<p class=\"missing\">Figure file missing: ").Append(H(figure.PngPath)).AppendLine("</p>");
        }

        html.Append("<figcaption>").Append(H(figure.Title)).AppendLine("</figcaption>");
        html.AppendLine("</figure>");
    }

    private static void AppendHtmlTable(StringBuilder html, IReadOnlyList<string> headers, IEnumerable<string[]> rows)
    {
        html.AppendLine("<table>").Append("<thead><tr>");
        foreach (string header in headers)
        {
            html.Append("<th>").Append(H(header)).Append("</th>");
        }

        html.AppendLine("</tr></thead>").AppendLine("<tbody>");
        foreach (string[] row in rows)
        {
            html.Append("<tr>");
            foreach (string cell in row)
            {
                html.Append("<td>").Append(cell).Append("</td>");
            }

            html.AppendLine("</tr>");
        }

        html.AppendLine("</tbody>").AppendLine("</table>");
    }

    private static string HtmlBadge(Verdict verdict, int? count = null)
    {
        string badge = Badge(verdict);
        string text = count is { } n ? $"{n.ToString(CultureInfo.InvariantCulture)} {badge}" : badge;
        return $"<span class=\"badge {badge.ToLowerInvariant()}\">{H(text)}</span>";
    }

    /// <summary>An id attribute made only of safe characters, so any claim id links from the summary table.</summary>
    private static string Anchor(string id) =>
        "claim-" + new string([.. id.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '-')]);

    private static string H(string text) => WebUtility.HtmlEncode(text);

    // ---- JSON ----

    private sealed record Document(ReportEnvironment Environment, Counts Summary, IReadOnlyList<ClaimOutcome> Claims);

    private sealed record Counts(int Confirmed, int Refuted, int Inconclusive)
    {
        public static Counts Of(IReadOnlyList<ClaimOutcome> outcomes) => new(
            outcomes.Count(o => o.Verdict == Verdict.Confirmed),
            outcomes.Count(o => o.Verdict == Verdict.Refuted),
            outcomes.Count(o => o.Verdict == Verdict.Inconclusive));

        public override string ToString() => string.Join(" / ",
            $"{Confirmed.ToString(CultureInfo.InvariantCulture)} {Badge(Verdict.Confirmed)}",
            $"{Refuted.ToString(CultureInfo.InvariantCulture)} {Badge(Verdict.Refuted)}",
            $"{Inconclusive.ToString(CultureInfo.InvariantCulture)} {Badge(Verdict.Inconclusive)}");
    }
}
