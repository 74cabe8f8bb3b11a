using ScottPlot;

namespace Grokking.Plots;

/// <summary>
/// Estimates with their intervals against an ordinal x (a history's entries): each series a colour, each point a marker
/// with its interval as an error bar, consecutive points joined by a thin line; an optional threshold as a dashed
/// horizontal line, optional named ticks on either axis (entry labels, verdict names).
/// </summary>
public static class IntervalChart
{
    /// <summary>The chart, for a <see cref="GridChart"/> panel.</summary>
    public static Plot Build(
        string title,
        string xLabel,
        string yLabel,
        IReadOnlyList<IntervalSeries> series,
        double? threshold = null,
        IReadOnlyList<(double Position, string Label)>? xTicks = null,
        IReadOnlyList<(double Position, string Label)>? yTicks = null)
    {
        var plot = new Plot();
        plot.Title(title);
        plot.XLabel(xLabel);
        plot.YLabel(yLabel);
        var palette = new ScottPlot.Palettes.Category10();
        for (int i = 0; i < series.Count; i++)
        {
            series[i].Check();
            Add(plot, series[i], palette.GetColor(i), legend: series.Count > 1);
        }

        if (threshold is { } t && double.IsFinite(t))
        {
            var line = plot.Add.HorizontalLine(t, 1f, Colors.Gray, LinePattern.Dashed);
            line.LabelText = "threshold";
            line.LabelOppositeAxis = true;
            line.LabelFontSize = 10;
        }

        if (xTicks is { Count: > 0 })
        {
            plot.Axes.Bottom.TickGenerator = Ticks(xTicks);
        }

        if (yTicks is { Count: > 0 })
        {
            plot.Axes.Left.TickGenerator = Ticks(yTicks);
            plot.Axes.SetLimitsY(yTicks.Min(t => t.Position) - 0.5, yTicks.Max(t => t.Position) + 0.5);
        }

        if (series.Count > 1)
        {
            plot.ShowLegend(Edge.Bottom);
        }

        return plot;
    }

    private static ScottPlot.TickGenerators.NumericManual Ticks(IReadOnlyList<(double Position, string Label)> ticks)
    {
        var manual = new ScottPlot.TickGenerators.NumericManual();
        foreach (var (position, label) in ticks)
        {
            manual.AddMajor(position, label);
        }

        return manual;
    }

    /// <summary>
    /// The series' finite points as markers joined by a line, and their intervals as error bars (an end that is not finite
    /// draws no bar on its side). A run that measured nothing leaves a gap, not a point at zero.
    /// </summary>
    private static void Add(Plot plot, IntervalSeries series, Color colour, bool legend)
    {
        var kept = Enumerable.Range(0, series.X.Length).Where(i => double.IsFinite(series.X[i]) && double.IsFinite(series.Y[i])).ToArray();
        if (kept.Length == 0)
        {
            return;
        }

        double[] xs = [.. kept.Select(i => series.X[i])];
        double[] ys = [.. kept.Select(i => series.Y[i])];
        double[] below = [.. kept.Select(i => double.IsFinite(series.Low[i]) ? Math.Max(0, series.Y[i] - series.Low[i]) : 0)];
        double[] above = [.. kept.Select(i => double.IsFinite(series.High[i]) ? Math.Max(0, series.High[i] - series.Y[i]) : 0)];
        var bars = new ScottPlot.Plottables.ErrorBar(xs, ys, null, null, below, above) { Color = colour, LineWidth = 1.5f, CapSize = 6 };
        plot.Add.Plottable(bars);

        var points = plot.Add.Scatter(xs, ys, colour);
        points.LineWidth = 1f;
        points.MarkerSize = 8;
        points.MarkerShape = MarkerShape.FilledCircle;
        points.LegendText = legend ? series.Label : string.Empty;
    }
}
