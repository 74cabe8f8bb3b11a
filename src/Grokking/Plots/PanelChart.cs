namespace Grokking.Plots;

/// <summary>
/// Line charts side by side in one figure (MC's figures: loss | error | gradient norm against t), written as PNG
/// and SVG. Each panel is drawn by <see cref="LineChart.Build"/>, so panels look like every other chart here.
/// </summary>
public static class PanelChart
{
    private const int PanelWidth = 560;
    private const int PanelHeight = 460;

    public static IReadOnlyList<string> Write(string directory, string name, string title, IReadOnlyList<ChartPanel> panels)
    {
        if (panels.Count == 0)
        {
            throw new ArgumentException("a panel chart needs at least one panel", nameof(panels));
        }

        var plots = panels.Select(p => LineChart.Build(p.Title, p.XLabel, p.YLabel, p.Series, p.Markers, p.LogY)).ToList();
        return GridChart.Write(directory, name, title, plots, plots.Count, PanelWidth, PanelHeight);
    }
}
