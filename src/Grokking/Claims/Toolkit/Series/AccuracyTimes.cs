using Grokking.Claims.Analyses;
using Grokking.Training;

namespace Grokking.Claims.Toolkit;

/// <summary>
/// Omnigrok's times: the first metric step at which train (test) accuracy reaches a level (95% in Fig. 2c), NaN when
/// it never does within the budget or before the member diverged.
/// </summary>
public sealed record AccuracyTimes(double TrainStep, double TestStep, bool Diverged)
{
    public static AccuracyTimes Of(TrainingResult result, int member, double level)
    {
        var rows = MemberSeries.RowsBeforeDivergence(result, member);
        double First(Func<MetricRow, double> accuracy) => rows.FirstOrDefault(r => accuracy(r) >= level) is { } r ? r.Step : double.NaN;
        return new AccuracyTimes(First(r => r.TrainAccuracy), First(r => r.ValAccuracy), result.Events[member].Diverged);
    }

    /// <summary>A step as reasons print it: the number, or "never" for an event that did not come.</summary>
    public static string Show(double step) => double.IsFinite(step) ? $"{step:0}" : "never";

    /// <summary>Test time over train time: how much later generalization comes than fitting.</summary>
    public double Delay => TestStep / TrainStep;
}
