namespace Grokking.Plots;

/// <summary>
/// One panel of a <see cref="HeatmapChart"/>: values on a grid, <c>Values[i, j]</c> the cell at <c>X[i]</c>, <c>Y[j]</c>
/// (a NaN cell is drawn blank).
/// </summary>
public sealed record HeatmapPanel(string Title, string XLabel, string YLabel, double[] X, double[] Y, double[,] Values);
