using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Grokking.Report;

/// <summary>
/// How the history reads report.json and writes and reads its own rows: report.json's conventions (camelCase, enums as
/// camelCase strings, NaN and infinities as strings), and strict where the reader is concerned: a field a record needs
/// that is absent or null is an error, never a default.
/// </summary>
internal static class HistoryJson
{
    public static JsonSerializerOptions Options { get; } = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase, allowIntegerValues: false) },
        RespectRequiredConstructorParameters = true,
        RespectNullableAnnotations = true,
    };

    /// <summary>The value, or a <see cref="HistoryInputException"/> naming <paramref name="what"/> and where the JSON is wrong.</summary>
    public static T Deserialize<T>(string json, string what)
    {
        try
        {
            return JsonSerializer.Deserialize<T>(json, Options) ?? throw new HistoryInputException($"{what}: null where a record belongs");
        }
        catch (JsonException e)
        {
            string where = e.LineNumber is { } line ? $" (line {line + 1}, {e.Path})" : "";
            throw new HistoryInputException($"{what}: {FirstLine(e.Message)}{where}", e);
        }
    }

    public static string Serialize<T>(T value) => JsonSerializer.Serialize(value, Options);

    private static string FirstLine(string message)
    {
        // System.Text.Json appends its own "Path: ... | LineNumber: ..." to some messages; the caller names the place once.
        int cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        return (cut > 0 ? message[..cut] : message).ReplaceLineEndings(" ").Trim();
    }
}
