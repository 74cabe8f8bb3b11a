using Grokking.Training;

namespace Grokking.Claims.Analyses;

/// <summary>Small read helpers over a member's metric rows, shared by the analyses.</summary>
public static class MemberSeries
{
    public static MetricRow[] Rows(TrainingResult result, int member) => result.MetricsOf(member).OrderBy(r => r.Step).ToArray();

    /// <summary>The metric row at a step (events are recorded at metric steps, so it exists).</summary>
    public static MetricRow At(TrainingResult result, int member, long step) => result.MetricsOf(member).First(r => r.Step == step);

    public static double Median(IReadOnlyCollection<double> values)
    {
        if (values.Count == 0)
        {
            return double.NaN;
        }

        var sorted = values.Order().ToArray();
        int mid = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    /// <summary>Train (solid) and validation (dashed) accuracy per member, optionally with dots at point 1 and the robust point 2, as one figure.</summary>
    public static ClaimFigure AccuracyFigure(ClaimContext context, string name, string title, IReadOnlyList<MemberSpec> members, bool markEvents, double robustVal)
    {
        var result = context.Run.Result;
        var series = new List<(string Label, double[] X, double[] Y)>();
        foreach (var m in members)
        {
            var rows = Rows(result, m.Index);
            string label = $"seed {m.Seed}, wd {m.WeightDecay:G3}";
            series.Add((label, rows.Select(r => r.Epoch).ToArray(), rows.Select(r => r.TrainAccuracy).ToArray()));
            series.Add((label, rows.Select(r => r.Epoch).ToArray(), rows.Select(r => r.ValAccuracy).ToArray()));
            var points = GrokkingPoints.Of(result, m.Index, robustVal);
            if (markEvents && double.IsFinite(points.Point1))
            {
                series.Add((label, [points.Point1], [1.0]));
            }

            if (markEvents && double.IsFinite(points.RobustPoint2))
            {
                series.Add((label, [points.RobustPoint2], [robustVal]));
            }
        }

        var (dir, file) = context.Figure(name);
        var paths = Report.RunPlots.WriteLines(dir, file, title, "epoch", "accuracy (solid: train, dashed: validation)", series);
        string Rel(string ext) => Path.GetRelativePath(context.ReportDirectory, paths.First(p => p.EndsWith(ext, StringComparison.Ordinal)));
        return new ClaimFigure(title, Rel(".png"), Rel(".svg"));
    }
}
