using System.Globalization;
using System.Text.Json;
using Grokking.Runtime;
using Grokking.Training;

namespace Grokking.Claims;

/// <summary>
/// Names the file behind a parse failure of a run directory's reader (RunDirectory.ReadResult, a resume): the reader
/// throws JsonException, FormatException or IndexOutOfRangeException without a file, so each file is parsed here on
/// its own and the first that fails is named with its line. The run cache uses it at its boundary only; the files
/// themselves are checked against the manifest before any of this is reached on a finished entry.
/// </summary>
internal static class RunFileCheck
{
    private static readonly string[] Series = ["step_loss.csv", "step_output_norm.csv", "step_cosine_distance.csv"];

    /// <summary>Exceptions a reader throws on a file that is not what the run wrote.</summary>
    public static bool IsParseFailure(Exception e) =>
        e is JsonException or FormatException or IndexOutOfRangeException or InvalidDataException or EndOfStreamException
            or ArgumentOutOfRangeException;

    /// <summary>The damage behind <paramref name="failure"/>: the first file of the run that does not parse, with its line.</summary>
    public static DamagedFileException Locate(string directory, Exception failure) =>
        FirstProblem(directory) is { } damage
            ? damage
            : new DamagedFileException(directory, $"cannot be read ({failure.GetType().Name}: {OneLine(failure.Message)})");

    /// <summary>The first file of the run that does not parse as the run wrote it; null when all do.</summary>
    public static DamagedFileException? FirstProblem(string directory)
    {
        string members = Path.Combine(directory, "members.json");
        var problem = Check(members, text =>
            JsonSerializer.Deserialize<List<MemberSpec>>(text, RunDirectory.Json) is { Count: > 0 } ? null : "lists no members");
        problem ??= Check(Path.Combine(directory, "events.json"), EventsProblem);
        problem ??= Lines(Path.Combine(directory, "metrics.jsonl"), line =>
            JsonSerializer.Deserialize<MetricRow>(line, RunDirectory.Json) is null ? "an empty row" : null);
        foreach (string series in Series)
        {
            problem ??= SeriesProblem(Path.Combine(directory, series));
        }

        return problem;
    }

    /// <summary>
    /// A finished run's metrics end at its last step with one row per member (the trainer always measures the final
    /// step): a metrics.jsonl cut short would otherwise make an earlier step's values "final". Null when they do.
    /// </summary>
    public static DamagedFileException? IncompleteMetrics(string directory)
    {
        var result = new RunDirectory(directory).ReadResult();
        var last = result.Metrics.Count == 0 ? -1 : result.Metrics.Max(m => m.Step);
        int rows = result.Metrics.Count(m => m.Step == last);
        return last == result.StepsCompleted && rows == result.Members.Count
            ? null
            : new DamagedFileException(
                Path.Combine(directory, "metrics.jsonl"),
                $"ends at step {last} with {rows} row(s); events.json says {result.StepsCompleted} steps of {result.Members.Count} member(s)");
    }

    private static string? EventsProblem(string text)
    {
        using var json = JsonDocument.Parse(text);
        var root = json.RootElement;
        bool valid = root.ValueKind == JsonValueKind.Object
            && root.TryGetProperty("StepsCompleted", out var steps) && steps.ValueKind == JsonValueKind.Number
            && root.TryGetProperty("Events", out var events) && events.ValueKind == JsonValueKind.Array;
        return valid ? null : "lacks StepsCompleted or Events";
    }

    private static DamagedFileException? Check(string path, Func<string, string?> problemOf)
    {
        if (!File.Exists(path))
        {
            return new DamagedFileException(path, "missing");
        }

        try
        {
            return problemOf(File.ReadAllText(path)) is { } problem ? new DamagedFileException(path, problem) : null;
        }
        catch (JsonException e)
        {
            return new DamagedFileException(path, $"not valid JSON ({JsonProblem.Of(e)})");
        }
    }

    private static DamagedFileException? Lines(string path, Func<string, string?> problemOf)
    {
        int number = 0;
        foreach (string line in File.Exists(path) ? File.ReadLines(path) : [])
        {
            number++;
            string? problem;
            try
            {
                problem = line.Length == 0 ? null : problemOf(line);
            }
            catch (JsonException e)
            {
                problem = $"not valid JSON ({JsonProblem.Of(e)})";
            }

            if (problem is not null)
            {
                return new DamagedFileException(path, $"line {number.ToString(CultureInfo.InvariantCulture)}: {problem}");
            }
        }

        return null;
    }

    /// <summary>A "step,member0,..." table: every row has the header's cells, each a number.</summary>
    private static DamagedFileException? SeriesProblem(string path)
    {
        if (!File.Exists(path))
        {
            return null;
        }

        int cells = -1;
        return Lines(path, line =>
        {
            var parts = line.Split(',');
            if (cells < 0)
            {
                cells = parts.Length;
                return parts[0] == "step" ? null : "no header";
            }

            bool numbers = parts.All(p => double.TryParse(p, NumberStyles.Float, CultureInfo.InvariantCulture, out _));
            return parts.Length == cells && numbers ? null : $"expected {cells} numbers";
        });
    }

    private static string OneLine(string text) => text.ReplaceLineEndings(" ");
}
