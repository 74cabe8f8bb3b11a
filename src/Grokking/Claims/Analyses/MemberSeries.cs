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

    /// <summary>Train (solid) and validation (dashed) accuracy per member, optionally with event dots, as one figure.</summary>
    public static ClaimFigure AccuracyFigure(ClaimContext context, string name, string title, IReadOnlyList<MemberSpec> members, bool markEvents)
    {
        var result = context.Run.Result;
        var series = new List<(string Label, double[] X, double[] Y)>();
        foreach (var m in members)
        {
            var rows = Rows(result, m.Index);
            string label = $"seed {m.Seed}, wd {m.WeightDecay:G3}";
            series.Add((label, rows.Select(r => r.Epoch).ToArray(), rows.Select(r => r.TrainAccuracy).ToArray()));
            series.Add((label, rows.Select(r => r.Epoch).ToArray(), rows.Select(r => r.ValAccuracy).ToArray()));
            var e = result.Events[m.Index];
            if (markEvents && e.ReachedTrain)
            {
                series.Add((label, [result.EpochOf(e.TrainThresholdStep)], [At(result, m.Index, e.TrainThresholdStep).TrainAccuracy]));
            }

            if (markEvents && e.ReachedVal)
            {
                series.Add((label, [result.EpochOf(e.ValThresholdStep)], [At(result, m.Index, e.ValThresholdStep).ValAccuracy]));
            }
        }

        var (dir, file) = context.Figure(name);
        var paths = Report.RunPlots.WriteLines(dir, file, title, "epoch", "accuracy (solid: train, dashed: validation)", series);
        string Rel(string ext) => Path.GetRelativePath(context.ReportDirectory, paths.First(p => p.EndsWith(ext, StringComparison.Ordinal)));
        return new ClaimFigure(title, Rel(".png"), Rel(".svg"));
    }
}
