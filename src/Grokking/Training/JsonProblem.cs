using System.Globalization;
using System.Text.Json;

namespace Grokking.Training;

/// <summary>A JSON parse failure in words, with its 1-based line and column (the reader counts from 0).</summary>
internal static class JsonProblem
{
    public static string Of(JsonException e)
    {
        string where = e.LineNumber is { } line
            ? string.Create(CultureInfo.InvariantCulture, $"line {line + 1}, column {(e.BytePositionInLine ?? 0) + 1}: ")
            : "";
        string message = e.Message.Split(" Path:", 2)[0].Split(" LineNumber:", 2)[0].TrimEnd('.', ' ');
        return where + message;
    }
}
