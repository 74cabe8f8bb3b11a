using System.Globalization;
using Grokking.Runtime;
using ScottPlot;

namespace Grokking.Plots;

/// <summary>Line charts written as PNG and SVG: the one drawing routine that run plots and claim figures share.</summary>
public static class LineChart
{
    private const int Width = 900;
    private const int Height = 500;

    // Log axes show log10 of the data; a loss of exactly zero (or a diverged negative value) would be -inf.
    private const double LogFloor = 1e-12;

    /// <summary>
    /// Writes <paramref name="name"/>.png and .svg. Series that share a label share a colour and one legend entry;
    /// the first is drawn solid and later ones dashed, so a train/validation pair reads as one member. A
    /// single-point series is drawn as a dot (an event on that member's curve).
    /// Markers are labelled vertical lines (events such as threshold crossings).
    /// </summary>
    public static IReadOnlyList<string> Write(
        string directory,
        string name,
        string title,
        string xLabel,
        string yLabel,
        IReadOnlyList<(string Label, double[] X, double[] Y)> series,
        IReadOnlyList<(double X, string Label)>? markers = null,
        bool logY = false)
    {
        var plot = Build(title, xLabel, yLabel, series, markers, logY);
        string png = Path.Combine(directory, name + ".png");
        string svg = Path.Combine(directory, name + ".svg");
        AtomicFile.WriteAllBytes(png, plot.GetImageBytes(Width, Height, ImageFormat.Png));
        AtomicFile.WriteAllText(svg, SolidSvg(plot, Width, Height));
        return [png, svg];
    }

    /// <summary>The chart <see cref="Write"/> draws, for callers that place it in a larger figure.</summary>
    public static Plot Build(
        string title,
        string xLabel,
        string yLabel,
        IReadOnlyList<(string Label, double[] X, double[] Y)> series,
        IReadOnlyList<(double X, string Label)>? markers = null,
        bool logY = false)
    {
        var plot = new Plot();
        plot.Title(title);
        plot.XLabel(xLabel);
        plot.YLabel(yLabel);
        var (labels, yMin, yMax) = AddSeries(plot, series, logY);
        foreach (var (x, label) in markers ?? [])
        {
            var vertical = plot.Add.VerticalLine(x, 1f, Colors.Gray, LinePattern.Dotted);
            vertical.LabelText = label;
            vertical.LabelOppositeAxis = true;
            vertical.LabelFontSize = 10;
        }

        if (logY && yMin <= yMax)
        {
            SetDecadeAxis(plot, yMin, yMax);
        }

        if (labels > 0)
        {
            plot.ShowLegend(Edge.Bottom);
        }

        return plot;
    }

    /// <summary>Draws every series (log10 of y on a log axis).</summary>
    /// <returns>The number of distinct labels, and the range of the y values drawn.</returns>
    private static (int Labels, double YMin, double YMax) AddSeries(
        Plot plot, IReadOnlyList<(string Label, double[] X, double[] Y)> series, bool logY)
    {
        var palette = new ScottPlot.Palettes.Category10();
        var colourOf = new Dictionary<string, Color>();
        double yMin = double.PositiveInfinity;
        double yMax = double.NegativeInfinity;
        foreach (var (label, xs, ys) in series)
        {
            bool first = !colourOf.ContainsKey(label);
            if (first)
            {
                colourOf[label] = palette.GetColor(colourOf.Count);
            }

            // Diverged runs produce NaN/inf, which would wreck autoscaling; dropping them just ends that line early.
            var points = xs.Zip(ys)
                .Select(p => (X: p.First, Y: logY ? Math.Log10(Math.Max(p.Second, LogFloor)) : p.Second))
                .Where(p => double.IsFinite(p.X) && double.IsFinite(p.Y))
                .ToArray();
            if (points.Length == 0)
            {
                continue;
            }

            AddLine(plot, points, colourOf[label], first ? label : string.Empty, first);
            yMin = Math.Min(yMin, points.Min(p => p.Y));
            yMax = Math.Max(yMax, points.Max(p => p.Y));
        }

        return (colourOf.Count, yMin, yMax);
    }

    /// <summary>A line, solid for a label's first series and dashed after; a single point is a dot.</summary>
    private static void AddLine(Plot plot, (double X, double Y)[] points, Color colour, string legend, bool solid)
    {
        if (points.Length == 1)
        {
            var dot = plot.Add.Marker(points[0].X, points[0].Y, MarkerShape.FilledCircle, 9, colour);
            dot.LegendText = legend;
            return;
        }

        var line = plot.Add.ScatterLine(points.Select(p => p.X).ToArray(), points.Select(p => p.Y).ToArray(), colour);
        line.LineWidth = 1.5f;
        line.LegendText = legend;
        line.LinePattern = solid ? LinePattern.Solid : LinePattern.Dashed;
    }

    /// <summary>A log axis over whole decades at both ends, so the integer-only major ticks always show at least two labels.</summary>
    private static void SetDecadeAxis(Plot plot, double yMin, double yMax)
    {
        double bottom = Math.Floor(yMin);
        double top = Math.Max(Math.Ceiling(yMax), bottom + 1);
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic
        {
            IntegerTicksOnly = true,
            MinorTickGenerator = new ScottPlot.TickGenerators.LogMinorTickGenerator(),
            LabelFormatter = y => Math.Pow(10, y).ToString("G3", CultureInfo.InvariantCulture),
        };
        plot.Axes.SetLimitsY(bottom, top);
    }

    /// <summary>
    /// The plot as SVG. Skia's SVG canvas has no path effects: it draws dashes solid anyway and prints a native
    /// warning per dashed path to stdout, so the SVG is drawn with solid lines on purpose (the PNG keeps the dashes).
    /// Changes the plot's line patterns: call it after the PNG is drawn.
    /// </summary>
    public static string SolidSvg(Plot plot, int width, int height)
    {
        foreach (var line in plot.GetPlottables().OfType<ScottPlot.Plottables.Scatter>())
        {
            line.LinePattern = LinePattern.Solid;
        }

        foreach (var line in plot.GetPlottables().OfType<ScottPlot.Plottables.VerticalLine>())
        {
            line.LinePattern = LinePattern.Solid;
        }

        return plot.GetSvgXml(width, height);
    }
}
