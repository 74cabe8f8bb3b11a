using System.Globalization;
using ScottPlot;

namespace Grokking.Plots;

/// <summary>
/// Heatmaps on a grid under one title (Omnigrok's loss landscapes over the weight norm and the representation messiness,
/// Fig. 6a/b and 8a/b), written as PNG and SVG through <see cref="GridChart"/>. Cells sit at their grid indices, labelled
/// with the grid's values, so a grid that is not evenly spaced is drawn without distortion; each panel has its own colour
/// bar.
/// </summary>
public static class HeatmapChart
{
    private const int PanelWidth = 560;
    private const int PanelHeight = 460;
    private const int MaxTicks = 6;

    public static IReadOnlyList<string> Write(string directory, string name, string title, IReadOnlyList<HeatmapPanel> panels, int columns = 2)
    {
        if (panels.Count == 0)
        {
            throw new ArgumentException("a heatmap chart needs at least one panel", nameof(panels));
        }

        return GridChart.Write(directory, name, title, [.. panels.Select(Build)], columns, PanelWidth, PanelHeight);
    }

    /// <summary>One panel: rows of the drawn matrix are Y from its largest value at the top, columns X from the left.</summary>
    public static Plot Build(HeatmapPanel panel)
    {
        int nx = panel.X.Length, ny = panel.Y.Length;
        if (panel.Values.GetLength(0) != nx || panel.Values.GetLength(1) != ny || nx == 0 || ny == 0)
        {
            throw new ArgumentException($"heatmap '{panel.Title}': values must be [{nx}, {ny}] and the grid non-empty", nameof(panel));
        }

        var matrix = new double[ny, nx];
        for (int i = 0; i < nx; i++)
        {
            for (int j = 0; j < ny; j++)
            {
                matrix[ny - 1 - j, i] = panel.Values[i, j];
            }
        }

        var plot = new Plot();
        plot.Title(panel.Title);
        plot.XLabel(panel.XLabel);
        plot.YLabel(panel.YLabel);
        var heatmap = plot.Add.Heatmap(matrix);
        heatmap.Colormap = new ScottPlot.Colormaps.Viridis();
        heatmap.Rectangle = new CoordinateRect(-0.5, nx - 0.5, -0.5, ny - 0.5); // cell centres on the indices
        plot.Add.ColorBar(heatmap);
        plot.Axes.Bottom.SetTicks(TickPositions(nx), Labels(panel.X, TickPositions(nx)));
        plot.Axes.Left.SetTicks(TickPositions(ny), Labels(panel.Y, TickPositions(ny)));
        return plot;
    }

    /// <summary>At most <see cref="MaxTicks"/> evenly chosen indices, the first and the last always among them.</summary>
    private static double[] TickPositions(int count)
    {
        int step = Math.Max(1, (int)Math.Ceiling((count - 1) / (double)(MaxTicks - 1)));
        var ticks = Enumerable.Range(0, count).Where(i => i % step == 0).Select(i => (double)i).ToList();
        if (ticks[^1] != count - 1)
        {
            ticks.Add(count - 1);
        }

        return [.. ticks];
    }

    private static string[] Labels(double[] grid, double[] positions) =>
        [.. positions.Select(p => grid[(int)p].ToString("G3", CultureInfo.InvariantCulture))];
}
