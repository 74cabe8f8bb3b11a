using System.Text.Json.Serialization;
using Grokking.Claims.Analyses;
using Grokking.Landscape;

namespace Grokking.Claims.Toolkit;

/// <summary>
/// What PG-4 keeps of one member's trajectory PCA (in the run's landscape cache): the explained-variance ratios of
/// every component and each snapshot's coordinates on the first two, over <c>Snapshots</c> rows.
/// </summary>
public sealed record TrajectoryShare(
    int Member, int Snapshots, IReadOnlyList<double> ExplainedVarianceRatio, IReadOnlyList<double> First, IReadOnlyList<double> Second)
{
    /// <summary>Share of the first two components; NaN when the member never moved (no variance to share).</summary>
    [JsonIgnore]
    public double TopTwoShare => ExplainedVarianceRatio.Take(2).Sum();

    public static TrajectoryShare Of(int member, TrajectoryPca pca) => new(
        member,
        pca.Rows,
        [.. pca.ExplainedVarianceRatio],
        [.. pca.Coordinates.Select(c => c.First)],
        [.. pca.Coordinates.Select(c => c.Second)]);
}
