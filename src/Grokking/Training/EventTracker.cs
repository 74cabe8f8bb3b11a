using Grokking.Configuration;

namespace Grokking.Training;

/// <summary>
/// Follows each member's threshold crossings and divergence from its metric rows, and decides when a run may
/// stop early (every live member done plus a margin, or every member diverged).
/// </summary>
internal sealed class EventTracker(TrainOptions train, int members)
{
    private readonly MemberEvents[] events = Enumerable.Range(0, members).Select(MemberEvents.None).ToArray();

    public IReadOnlyList<MemberEvents> Events => events;

    public int MembersDone => events.Count(e => e.ReachedTrain && e.ReachedVal);

    /// <returns>True when a live member reached a new threshold with these rows.</returns>
    public bool Observe(IEnumerable<MetricRow> rows)
    {
        bool newEvent = false;
        foreach (var row in rows.OrderBy(r => r.Step))
        {
            var before = events[row.Member];
            events[row.Member] = Advance(before, row);
            newEvent |= events[row.Member] != before && !events[row.Member].Diverged;
        }

        return newEvent;
    }

    public bool ShouldStop(long done)
    {
        if (events.All(e => e.Diverged))
        {
            return true;
        }

        int margin = train.StopMarginSteps;
        if (margin < 0)
        {
            return false;
        }

        var live = events.Where(e => !e.Diverged).ToList();
        return live.All(e => e.ReachedTrain && e.ReachedVal) && done >= live.Max(e => Math.Max(e.TrainThresholdStep, e.ValThresholdStep)) + margin;
    }

    private MemberEvents Advance(MemberEvents e, MetricRow row)
    {
        if (e.Diverged)
        {
            return e;
        }

        if (row.DivergedAtStep != MemberEvents.Never)
        {
            return e with { DivergedStep = row.DivergedAtStep };
        }

        // Not expected once bad steps freeze members (a finite step overflowing the weights would get here).
        if (!double.IsFinite(row.TrainLoss) || !double.IsFinite(row.WeightNorm))
        {
            return e with { DivergedStep = row.Step };
        }

        const double slack = 1e-9;
        if (!e.ReachedTrain && row.TrainAccuracy >= train.TrainAccuracyThreshold - slack)
        {
            e = e with { TrainThresholdStep = row.Step };
        }

        if (!e.ReachedVal && row.ValAccuracy >= train.ValAccuracyThreshold - slack)
        {
            e = e with { ValThresholdStep = row.Step };
        }

        return e;
    }
}
