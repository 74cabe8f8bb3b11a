namespace Grokking.Plots;

/// <summary>One panel of a <see cref="PanelChart"/>: a line chart's title, axis labels, series and markers.</summary>
public sealed record ChartPanel(
    string Title,
    string XLabel,
    string YLabel,
    IReadOnlyList<(string Label, double[] X, double[] Y)> Series,
    IReadOnlyList<(double X, string Label)>? Markers = null,
    bool LogY = false);
