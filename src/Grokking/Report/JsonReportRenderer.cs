using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using Grokking.Claims.Contracts;

namespace Grokking.Report;

/// <summary>The report as JSON for tools: the environment, the verdict counts and every outcome whole.</summary>
internal static class JsonReportRenderer
{
    private static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        // Diverged runs measure NaN or infinity, and the report must still be written.
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        // The file is read as JSON and never inlined into HTML, so statements with θ, ≤ or < may stay readable.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    public static string Render(ReportDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        return JsonSerializer.Serialize(
            new Payload(
                SchemaVersion, document.Environment, document.Counts, document.Controls, document.Claims, document.Agreement, document.Variants),
            Options);
    }

    /// <summary>
    /// report.json's schema version (ReportSchema.md): 2 added the audit (issue 25) — controls, scope, comparisons; 3 (issue
    /// 26) counts errors and missing data apart (summary.error, summary.dataMissing; verdicts error and dataMissing; fix). Added
    /// within 3, with ReportSchema.md (issue 28): agreement, each claim's committed ci and paper verdicts side by side; variants.
    /// </summary>
    public const int SchemaVersion = 3;

    /// <summary>
    /// The file's schema, kept apart from the document: tools read it, so what the page renderers share (the
    /// experiment minutes, derivable from the claims) is not added to it in passing.
    /// </summary>
    private sealed record Payload(
        int SchemaVersion,
        ReportEnvironment Environment,
        ReportCounts Summary,
        ControlCounts Controls,
        IReadOnlyList<ClaimOutcome> Claims,
        IReadOnlyList<Claims.ProfileAgreement> Agreement,
        IReadOnlyList<Claims.VariantOutcome> Variants);
}
