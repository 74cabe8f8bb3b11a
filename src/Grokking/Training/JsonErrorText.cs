using System.Text.Json;

namespace Grokking.Training;

/// <summary>
/// A JSON parse error as a run file's damage message says it: 1-based line and column (System.Text.Json counts from 0)
/// and the reason without its "Path: … | LineNumber: …" tail.
/// </summary>
internal static class JsonErrorText
{
    /// <param name="line">The 1-based line when the text parsed was one line of a larger file (metrics.jsonl).</param>
    public static string Of(JsonException e, int? line = null) =>
        $"line {line ?? (e.LineNumber ?? 0) + 1}, column {(e.BytePositionInLine ?? 0) + 1}: {Reason(e)}";

    private static string Reason(JsonException e) => e.Message.Split(" Path:")[0].Split(" LineNumber:")[0].TrimEnd('.', ' ');
}
