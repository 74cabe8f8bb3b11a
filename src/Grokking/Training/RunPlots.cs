using Grokking.Plots;

namespace Grokking.Training;

/// <summary>Population-wide figures of one run (accuracy, loss, weight norm), each as PNG and SVG.</summary>
public static class RunPlots
{
    public static IReadOnlyList<string> Write(TrainingResult result, string directory)
    {
        string suffix = result.Interrupted ? " (interrupted)" : string.Empty;
        var rows = result.Members.ToDictionary(m => m.Index, m => result.MetricsOf(m.Index).OrderBy(r => r.Step).ToArray());

        List<(string Label, double[] X, double[] Y)> Series(Func<MetricRow, double> train, Func<MetricRow, double>? val = null)
        {
            var series = new List<(string Label, double[] X, double[] Y)>();
            foreach (var member in result.Members)
            {
                var own = rows[member.Index];
                double[] epochs = [.. own.Select(r => r.Epoch)];
                series.Add((member.Label, epochs, [.. own.Select(train)]));
                if (val is not null)
                {
                    series.Add((member.Label, epochs, [.. own.Select(val)]));
                }
            }

            return series;
        }

        // Events as dots on the member's own curves: with a population, labelled vertical lines pile up unreadably.
        var accuracy = Series(r => r.TrainAccuracy, r => r.ValAccuracy);
        foreach (var events in result.Events)
        {
            var member = result.Members.FirstOrDefault(m => m.Index == events.Member);
            if (member is null)
            {
                continue;
            }

            var own = rows[member.Index];
            if (events.ReachedTrain)
            {
                double epoch = result.EpochOf(events.TrainThresholdStep);
                accuracy.Add((member.Label, [epoch], [Interpolate(own, epoch, r => r.TrainAccuracy)]));
            }

            if (events.ReachedVal)
            {
                double epoch = result.EpochOf(events.ValThresholdStep);
                accuracy.Add((member.Label, [epoch], [Interpolate(own, epoch, r => r.ValAccuracy)]));
            }
        }

        return
        [
            .. LineChart.Write(directory, "accuracy", "Accuracy" + suffix + "; dots: train / validation threshold reached", "epoch",
                "accuracy (solid: train, dashed: validation)", accuracy),
            .. LineChart.Write(directory, "loss", "Loss" + suffix, "epoch", "loss (solid: train, dashed: validation)",
                Series(r => r.TrainLoss, r => r.ValLoss), logY: true),
            .. LineChart.Write(directory, "weight_norm", "Weight norm" + suffix, "epoch", "||theta||", Series(r => r.WeightNorm)),
        ];
    }

    /// <summary>Linear interpolation of a metric at an epoch between metric rows (events fall between them).</summary>
    private static double Interpolate(MetricRow[] rows, double epoch, Func<MetricRow, double> metric)
    {
        if (rows.Length == 0)
        {
            return double.NaN;
        }

        int after = Array.FindIndex(rows, r => r.Epoch >= epoch);
        if (after <= 0)
        {
            return metric(after == 0 ? rows[0] : rows[^1]);
        }

        var (a, b) = (rows[after - 1], rows[after]);
        double t = (epoch - a.Epoch) / (b.Epoch - a.Epoch);
        return metric(a) + (t * (metric(b) - metric(a)));
    }
}
