using System.Text.Json.Serialization;

namespace Grokking.Landscape;

/// <summary>
/// A path evaluated on its t grid: the points in t order and the t of its joins (a chain's checkpoints). Chains
/// split into their segments, each with its own barrier.
/// </summary>
public sealed record PathEvaluation(string Label, PathKind Kind, long Seed, IReadOnlyList<double> Joins, IReadOnlyList<PathPoint> Points)
{
    [JsonIgnore]
    public double[] T => Points.Select(p => p.T).ToArray();

    public double[] Values(PathMetric metric) => Points.Select(p => Value(p, metric)).ToArray();

    public static double Value(PathPoint p, PathMetric metric) => metric switch
    {
        PathMetric.TrainLoss => p.TrainLoss,
        PathMetric.TrainLossL2 => p.TrainLossL2,
        PathMetric.ValLoss => p.ValLoss,
        PathMetric.ValLossL2 => p.ValLossL2,
        PathMetric.TrainError => p.TrainError,
        PathMetric.ValError => p.ValError,
        _ => p.GradNorm,
    };

    public double Barrier(PathMetric metric) => Barriers.Of(T, Values(metric));

    /// <summary>The points between consecutive joins (both joins included), one list per segment.</summary>
    public IReadOnlyList<PathEvaluation> Segments()
    {
        const double slack = 1e-9;
        var segments = new List<PathEvaluation>();
        for (int j = 0; j + 1 < Joins.Count; j++)
        {
            double from = Joins[j] - slack;
            double to = Joins[j + 1] + slack;
            segments.Add(this with
            {
                Label = $"{Label} [{j}]",
                Kind = PathKind.Segment,
                Joins = [Joins[j], Joins[j + 1]],
                Points = Points.Where(p => p.T >= from && p.T <= to).ToList(),
            });
        }

        return segments;
    }
}
