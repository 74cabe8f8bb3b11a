using Grokking.Training;

namespace Grokking.Claims.Toolkit;

/// <summary>
/// MC's points of one member, in epochs (NaN when not reached): point 1 = first metric step with 100% train
/// accuracy; point 2 = first with 100% validation accuracy (the paper's definition); robust point 2 = first with
/// validation accuracy at least a stated level. Only rows before a divergence count.
/// </summary>
public sealed record GrokkingPoints(double Point1, double ValAtPoint1, double Point2, double RobustPoint2, double MaxVal, double? DivergedEpoch)
{
    private const double Slack = 1e-9;

    public static GrokkingPoints Of(TrainingResult result, int member, double robustVal)
    {
        var e = result.Events[member];
        return OfRows(MemberSeries.RowsBeforeDivergence(result, member), robustVal, e.Diverged ? result.EpochOf(e.DivergedStep) : null);
    }

    /// <summary>
    /// The points of metric rows already cut at a divergence (at <paramref name="divergedEpoch"/>, null when none):
    /// <see cref="Of"/>'s, and MC-1's control, which hands in rows whose validation accuracy is the train accuracy.
    /// </summary>
    public static GrokkingPoints OfRows(IReadOnlyList<MetricRow> rows, double robustVal, double? divergedEpoch)
    {
        var p1 = rows.FirstOrDefault(r => r.TrainAccuracy >= 1 - Slack);
        var p2 = rows.FirstOrDefault(r => r.ValAccuracy >= 1 - Slack);
        var robust = rows.FirstOrDefault(r => r.ValAccuracy >= robustVal - Slack);
        return new GrokkingPoints(
            p1?.Epoch ?? double.NaN,
            p1?.ValAccuracy ?? double.NaN,
            p2?.Epoch ?? double.NaN,
            robust?.Epoch ?? double.NaN,
            rows.Count == 0 ? double.NaN : rows.Max(r => r.ValAccuracy),
            divergedEpoch);
    }
}
