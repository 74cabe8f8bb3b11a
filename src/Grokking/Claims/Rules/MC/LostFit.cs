using Grokking.Training;

namespace Grokking.Claims.Rules.MC;

/// <summary>
/// How much of one member's training after its fit was spent without it (MC-10): from point 1 (the first metric row
/// with 100% train accuracy) to the end of a window, the share of epochs in which the member was out of fit - its train
/// accuracy below a collapse level (each row standing for the time up to the next row), or diverged (the rest of the
/// window after the divergence: a frozen, broken run). A member that diverged before it ever fit lost the whole window
/// (share 1); one that neither fit nor diverged within the window has no share (NaN: slow, not shown unstable).
/// Collapses counts the episodes in which the train accuracy fell below the level after the fit.
/// </summary>
public sealed record LostFit(double Point1, double Share, int Collapses, double? DivergedEpoch)
{
    private const double Slack = 1e-9;

    /// <summary>
    /// The member's lost share within epochs [0, <paramref name="end"/>]: <paramref name="rows"/> are its metric rows
    /// from before a divergence at <paramref name="divergedEpoch"/> (null: none); rows and a divergence past the end are
    /// outside the window.
    /// </summary>
    public static LostFit Of(IReadOnlyList<MetricRow> rows, double? divergedEpoch, double end, double collapseLevel)
    {
        double? diverged = divergedEpoch is { } d && d <= end ? d : null;
        var window = rows.Where(r => r.Epoch <= end).OrderBy(r => r.Epoch).ToList();
        int first = window.FindIndex(r => r.TrainAccuracy >= 1 - Slack);
        if (first < 0)
        {
            return new LostFit(double.NaN, diverged is null ? double.NaN : 1.0, 0, diverged);
        }

        double point1 = window[first].Epoch;
        double stop = diverged ?? end;
        double lost = diverged is { } at ? end - at : 0;
        int collapses = 0;
        // Row i stands for the time up to the next row (or the window's stop); the first row is at 100%, never out.
        for (int i = first + 1; i < window.Count; i++)
        {
            if (window[i].TrainAccuracy >= collapseLevel)
            {
                continue;
            }

            double next = Math.Min(i + 1 < window.Count ? window[i + 1].Epoch : stop, stop);
            lost += Math.Max(0, next - window[i].Epoch);
            collapses += window[i - 1].TrainAccuracy >= collapseLevel ? 1 : 0;
        }

        double span = end - point1;
        return new LostFit(point1, span > 0 ? lost / span : double.NaN, collapses, diverged);
    }
}
