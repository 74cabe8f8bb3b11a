using Grokking.Claims.Analyses;
using Grokking.Claims.Contracts;
using Grokking.Training;

namespace Grokking.Claims.Toolkit;

/// <summary>Small read helpers over a member's metric rows, shared by the analyses.</summary>
public static class MemberSeries
{
    public static MetricRow[] Rows(TrainingResult result, int member) => result.MetricsOf(member).OrderBy(r => r.Step).ToArray();

    /// <summary>The member's rows from before its divergence (all of them when it did not diverge).</summary>
    public static MetricRow[] RowsBeforeDivergence(TrainingResult result, int member)
    {
        var e = result.Events[member];
        return Rows(result, member).Where(r => !e.Diverged || r.Step < e.DivergedStep).ToArray();
    }

    /// <summary>
    /// Summaries over seeds read the seeds that have the value: NaN marks an event that never came (or a diverged
    /// seed), which the per-seed list shows; the summary is NaN only when no seed has it.
    /// </summary>
    public static double Median(IEnumerable<double> values)
    {
        return Middle(values.Where(double.IsFinite).Order().ToArray());
    }

    /// <summary>
    /// The median step of an event over seeds, a NaN (never) counting as later than every step: when half the seeds
    /// or more never got there, the median is never (NaN), not the time of the few that did.
    /// </summary>
    public static double MedianTime(IEnumerable<double> steps)
    {
        double median = Middle(steps.Select(s => double.IsNaN(s) ? double.PositiveInfinity : s).Order().ToArray());
        return double.IsFinite(median) ? median : double.NaN;
    }

    private static double Middle(double[] sorted)
    {
        if (sorted.Length == 0)
        {
            return double.NaN;
        }

        int mid = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    /// <summary>
    /// The metric interval in steps (the smallest gap between consecutive rows of the run's first member; NaN with
    /// fewer than two rows): an event read from the rows is known only to within it, which a universal claim's
    /// resolution counts.
    /// </summary>
    public static double Cadence(TrainingResult result)
    {
        var rows = result.Members.Count == 0 ? [] : Rows(result, result.Members[0].Index);
        return rows.Length < 2 ? double.NaN : rows.Zip(rows.Skip(1)).Min(p => (double)(p.Second.Step - p.First.Step));
    }

    public static double Min(IEnumerable<double> values) => values.Where(double.IsFinite).DefaultIfEmpty(double.NaN).Min();

    public static double Max(IEnumerable<double> values) => values.Where(double.IsFinite).DefaultIfEmpty(double.NaN).Max();

    /// <summary>
    /// Train (solid) and validation (dashed) accuracy per member as one figure; members with <paramref name="points"/>
    /// get dots at point 1 and at the robust point 2 (drawn at <paramref name="robustVal"/>).
    /// </summary>
    public static ClaimFigure AccuracyFigure(
        ClaimContext context,
        string name,
        string title,
        IReadOnlyList<MemberSpec> members,
        IReadOnlyDictionary<int, GrokkingPoints>? points = null,
        double robustVal = 1)
    {
        var result = context.Result;
        var series = new List<(string Label, double[] X, double[] Y)>();
        foreach (var m in members)
        {
            var rows = Rows(result, m.Index);
            string label = $"seed {m.Seed}, wd {m.WeightDecay:G3}";
            series.Add((label, rows.Select(r => r.Epoch).ToArray(), rows.Select(r => r.TrainAccuracy).ToArray()));
            series.Add((label, rows.Select(r => r.Epoch).ToArray(), rows.Select(r => r.ValAccuracy).ToArray()));
            if (points?.GetValueOrDefault(m.Index) is not { } p)
            {
                continue;
            }

            if (double.IsFinite(p.Point1))
            {
                series.Add((label, [p.Point1], [1.0]));
            }

            if (double.IsFinite(p.RobustPoint2))
            {
                series.Add((label, [p.RobustPoint2], [robustVal]));
            }
        }

        return context.Plot(name, title, (dir, file) =>
            Plots.LineChart.Write(dir, file, title, "epoch", "accuracy (solid: train, dashed: validation)", series));
    }
}
