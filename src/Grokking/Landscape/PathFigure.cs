using Grokking.Plots;

namespace Grokking.Landscape;

/// <summary>
/// MC's figure for a path: cross-entropy with the L2 term | error | stochastic gradient norm against t, train
/// solid and validation dashed in the first two panels; several paths (seeds) share each panel. Joins of chains
/// are marked.
/// </summary>
public static class PathFigure
{
    public static IReadOnlyList<string> Write(
        string directory, string name, string title, IReadOnlyList<PathEvaluation> paths, IReadOnlyList<(double X, string Label)>? markers = null)
    {
        var loss = new List<(string, double[], double[])>();
        var error = new List<(string, double[], double[])>();
        var grad = new List<(string, double[], double[])>();
        foreach (var p in paths)
        {
            var t = p.T;
            loss.Add((p.Label, t, p.Values(PathMetric.TrainLossL2)));
            loss.Add((p.Label, t, p.Values(PathMetric.ValLossL2)));
            error.Add((p.Label, t, p.Values(PathMetric.TrainError)));
            error.Add((p.Label, t, p.Values(PathMetric.ValError)));
            grad.Add((p.Label, t, p.Values(PathMetric.GradNorm)));
        }

        var chain = paths.FirstOrDefault(p => p.Kind == PathKind.Chain);
        var joins = markers ?? chain?.Joins.Skip(1).SkipLast(1).Select(j => (j, "")).ToList();
        return PanelChart.Write(directory, name, title,
        [
            new ChartPanel("cross-entropy + L2 (solid: train, dashed: validation)", "t", "loss", loss, joins, LogY: true),
            new ChartPanel("error = 1 - accuracy", "t", "error", error, joins),
            new ChartPanel("mean stochastic gradient norm (train)", "t", "norm", grad, joins),
        ]);
    }
}
