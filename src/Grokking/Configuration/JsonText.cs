using System.Text;
using System.Text.Json;

namespace Grokking.Configuration;

/// <summary>
/// What every JSON file the program reads by hand (configuration layers, claim and experiment files) is checked for
/// before it is bound, and how a position in it is printed: 1-based line and column, as an editor shows them.
/// System.Text.Json counts both from 0, and it keeps one of two equal keys without a word (JsonNode throws an
/// ArgumentException that names neither the file nor the place, the serializer keeps the last), so a repeated key is
/// found here first, by name ignoring case: configuration keys and claim-file fields are both matched ignoring case.
/// </summary>
public static class JsonText
{
    private static readonly JsonReaderOptions Reader = new()
    {
        CommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    /// <summary>"line 3, column 7" of a parse error (1-based), or null when the exception carries no position.</summary>
    public static string? Position(JsonException e) =>
        e.LineNumber is { } line ? $"line {line + 1}, column {(e.BytePositionInLine ?? 0) + 1}" : null;

    /// <summary>
    /// A parse error as a message says it: "line 3, column 7: reason" (1-based), or the reason alone without a position.
    /// </summary>
    /// <param name="line">The 1-based line when the text parsed was one line of a larger file (metrics.jsonl).</param>
    public static string Describe(JsonException e, int? line = null)
    {
        string? where = line is { } n ? $"line {n}, column {(e.BytePositionInLine ?? 0) + 1}" : Position(e);
        return where is null ? Problem(e) : $"{where}: {Problem(e)}";
    }

    /// <summary>A parse error's message without System.Text.Json's 0-based "LineNumber: 0 | BytePositionInLine: 6." and Path.</summary>
    public static string Problem(JsonException e)
    {
        string message = e.Message;
        foreach (string tail in new[] { " Path:", " LineNumber:", " | LineNumber:" })
        {
            int at = message.IndexOf(tail, StringComparison.Ordinal);
            if (at >= 0)
            {
                message = message[..at];
            }
        }

        return message.Trim().TrimEnd('.');
    }

    /// <summary>
    /// The first key that repeats within one object, as its dotted path ("Train.Epochs"), with the 1-based line and column
    /// of the repetition; null when every object's keys are distinct. Malformed JSON is left to the parser that follows.
    /// </summary>
    public static (string Path, string Position)? FirstDuplicateKey(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json, Reader);
        var scopes = new Stack<(HashSet<string>? Keys, string Path)>();
        string? pendingKey = null;
        try
        {
            while (reader.Read())
            {
                if (Step(ref reader, scopes, ref pendingKey) is { } duplicate)
                {
                    return (duplicate, PositionOf(json, (int)reader.TokenStartIndex));
                }
            }
        }
        catch (JsonException)
        {
            return null;
        }

        return null;
    }

    private static string? Step(ref Utf8JsonReader reader, Stack<(HashSet<string>? Keys, string Path)> scopes, ref string? pendingKey)
    {
        string parent = scopes.Count == 0 ? "" : scopes.Peek().Path;
        string here = pendingKey is null ? parent : Join(parent, pendingKey);
        switch (reader.TokenType)
        {
            case JsonTokenType.StartObject:
                scopes.Push((new HashSet<string>(StringComparer.OrdinalIgnoreCase), here));
                pendingKey = null;
                break;
            case JsonTokenType.StartArray:
                scopes.Push((null, here));
                pendingKey = null;
                break;
            case JsonTokenType.EndObject or JsonTokenType.EndArray:
                scopes.Pop();
                break;
            case JsonTokenType.PropertyName:
                string key = reader.GetString()!;
                if (!scopes.Peek().Keys!.Add(key))
                {
                    return Join(scopes.Peek().Path, key);
                }

                pendingKey = key;
                return null;
            default:
                pendingKey = null;
                break;
        }

        return null;
    }

    private static string Join(string path, string key) => path.Length == 0 ? key : $"{path}.{key}";

    /// <summary>1-based line and column (in characters) of a byte offset.</summary>
    public static string PositionOf(ReadOnlySpan<byte> json, int offset)
    {
        var before = json[..Math.Min(offset, json.Length)];
        int line = before.Count((byte)'\n') + 1;
        int lineStart = before.LastIndexOf((byte)'\n') + 1;
        int column = Encoding.UTF8.GetCharCount(before[lineStart..]) + 1;
        return $"line {line}, column {column}";
    }
}
