using System.Globalization;
using System.Text.Json;
using Grokking.Runtime;
using Grokking.Configuration;

namespace Grokking.Training;

/// <summary>
/// Reads a run's metric rows (metrics.jsonl) and per-step series (step_*.csv) back exactly as they were written, up to a
/// step: K rows per metric step, members in order, steps rising; one row per step 1, 2, ... with K cells. Anything else
/// (a line that does not parse, a cell too many or too few, a row missing) is a <see cref="DamagedFileException"/> naming
/// the file and the 1-based line, never a shorter series read as if it were the whole. A file read up to the length a
/// checkpoint recorded has been checked against that record's digest, which is what proves it complete; a file read whole
/// (a finished run, a checkpoint from before the record) must end exactly at the step.
/// </summary>
internal static class RunSeriesReader
{
    /// <param name="length">The bytes a checkpoint covers (checked before), or null to read the whole file.</param>
    public static List<MetricRow> Metrics(string path, int members, long upToStep, long? length, string? recovery)
    {
        var rows = new List<MetricRow>();
        int lastLine = 0;
        foreach (var (number, text) in Lines(path, length, recovery))
        {
            var row = ParseRow(path, number, text, recovery);
            if (row.Step > upToStep)
            {
                break; // written for a later checkpoint that was never committed
            }

            var previous = rows.Count == 0 ? null : rows[^1];
            int expectedMember = rows.Count % members;
            bool inOrder = row.Member == expectedMember
                && (expectedMember == 0 ? row.Step > (previous?.Step ?? 0) : row.Step == previous!.Step);
            if (!inOrder)
            {
                throw new DamagedFileException(
                    path, $"line {number}: step {row.Step} member {row.Member} is out of order (rows for {members} member(s) per step)", recovery);
            }

            rows.Add(row);
            lastLine = number;
        }

        long lastStep = rows.Count == 0 ? 0 : rows[^1].Step;
        if (length is null && (rows.Count % members != 0 || lastStep != upToStep))
        {
            throw new DamagedFileException(
                path,
                $"line {lastLine + 1}: rows end at step {lastStep} with {rows.Count} row(s); the run has {members} row(s) at step {upToStep}",
                recovery);
        }

        return rows;
    }

    /// <summary>A "step,member0,member1,..." table: one row per step from 1 to <paramref name="upToStep"/>.</summary>
    public static List<float[]> Series(string path, int members, long upToStep, long? length, string? recovery)
    {
        var series = Enumerable.Range(0, members).Select(_ => new List<float>()).ToList();
        long step = 0;
        foreach (var (number, text) in Lines(path, length, recovery))
        {
            var cells = text.Split(',');
            if (cells.Length != members + 1)
            {
                throw new DamagedFileException(
                    path, $"line {number}: {cells.Length} cell(s), expected {members + 1} (step and {members} member(s))", recovery);
            }

            if (number == 1)
            {
                continue; // the header
            }

            if (!long.TryParse(cells[0], NumberStyles.None, CultureInfo.InvariantCulture, out long s) || s != step + 1)
            {
                throw new DamagedFileException(path, $"line {number}: step '{cells[0]}', expected {step + 1}", recovery);
            }

            if (s > upToStep)
            {
                break; // written for a later checkpoint that was never committed
            }

            for (int k = 0; k < members; k++)
            {
                series[k].Add(ParseCell(path, number, k, cells[k + 1], recovery));
            }

            step = s;
        }

        if (length is null && step != upToStep)
        {
            throw new DamagedFileException(path, $"has rows for steps 1 to {step}; the run has {upToStep} step(s)", recovery);
        }

        return series.Select(s => s.ToArray()).ToList();
    }

    private static IEnumerable<(int Number, string Text)> Lines(string path, long? length, string? recovery) =>
        File.Exists(path) ? RunFileLines.Read(path, length, recovery) : throw new DamagedFileException(path, "missing", recovery);

    private static MetricRow ParseRow(string path, int number, string text, string? recovery)
    {
        MetricRow? row;
        try
        {
            row = JsonSerializer.Deserialize<MetricRow>(text, RunDirectory.Json);
        }
        catch (JsonException e)
        {
            throw new DamagedFileException(path, $"not a metric row: {JsonText.Describe(e, number)}", recovery);
        }

        if (row is null || row.Step < 1 || row.Member < 0)
        {
            throw new DamagedFileException(path, $"line {number}: not a metric row (no step or member)", recovery);
        }

        return row;
    }

    private static float ParseCell(string path, int number, int member, string cell, string? recovery) =>
        float.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out float value)
            ? value
            : throw new DamagedFileException(path, $"line {number}: member {member}'s value '{cell}' is not a number", recovery);
}
