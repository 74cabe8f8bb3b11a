using System.Globalization;
using Grokking.Claims.Analyses;
using Grokking.Configuration;
using Grokking.Training;

namespace Grokking.Claims.Toolkit;

/// <summary>
/// One member of a PB arm (a depth, or the no-norm control): its points, its series, and the train-accuracy drops
/// that start in its grokking phase — from point 1 to the robust point 2, or to the end of the run when point 2
/// never came. After point 2 validation accuracy has no room to jump, so later drops say nothing about PB-2/PB-3.
/// Rows after a divergence are not read.
/// </summary>
public sealed record PeriodicMember(
    string Arm,
    MemberSpec Spec,
    GrokkingPoints Points,
    PeriodicSeries Series,
    IReadOnlyList<TrainDrop> Drops,
    double BudgetEpochs)
{
    public bool Diverged => Points.DivergedEpoch is not null;

    /// <summary>"pb-layernorm-2, seed 1".</summary>
    public string Subject => $"{Arm}, seed {Spec.Seed}";

    /// <summary>End of the window drops are read in: the robust point 2, else the last epoch read.</summary>
    public double PhaseEnd => double.IsFinite(Points.RobustPoint2) ? Points.RobustPoint2 : Series.Epochs.LastOrDefault(double.NaN);

    public static IReadOnlyList<PeriodicMember> Of(ClaimContext arm, DropRules rules, double robustVal)
    {
        var result = arm.Result;
        var members = new List<PeriodicMember>();
        foreach (var m in arm.Members)
        {
            var points = GrokkingPoints.Of(result, m.Index, robustVal);
            var rows = MemberSeries.RowsBeforeDivergence(result, m.Index);
            var series = new PeriodicSeries(
                [.. rows.Select(r => r.Epoch)],
                [.. rows.Select(r => r.TrainAccuracy)],
                [.. rows.Select(r => r.ValAccuracy)],
                [.. rows.Select(r => r.EffectiveLearningRate)],
                [.. rows.Select(r => r.EffectiveGradNorm)]);
            double end = double.IsFinite(points.RobustPoint2) ? points.RobustPoint2 : double.PositiveInfinity;
            var drops = double.IsFinite(points.Point1)
                ? PeriodicEvents.Drops(series, rules, points.Point1).Where(d => d.StartEpoch <= end).ToList()
                : [];
            members.Add(new PeriodicMember(arm.Experiment, m, points, series, drops, result.EpochOf(result.StepsCompleted)));
        }

        return members;
    }

    /// <summary>The claim's arms whose model has LayerNorm (its own experiment first), and those without.</summary>
    public static (IReadOnlyList<ClaimContext> LayerNorm, IReadOnlyList<ClaimContext> Control) Arms(ClaimContext context)
    {
        var all = context.Companions.Values.Prepend(context).ToList();
        return ([.. all.Where(IsLayerNorm)], [.. all.Where(a => !IsLayerNorm(a))]);
    }

    public static bool IsLayerNorm(ClaimContext arm) => arm.RunOptions.Model.Norm == Normalization.LayerNorm;

    /// <summary>"drops at epochs 577, 1001, 1441".</summary>
    public string DropEpochs => Drops.Count == 0
        ? "no drops"
        : $"drops at epoch(s) {string.Join(", ", Drops.Select(d => d.StartEpoch.ToString("0", CultureInfo.InvariantCulture)))}";

    /// <summary>Why the member cannot speak to a claim about its grokking phase, or null when it can.</summary>
    public string? Missing() =>
        double.IsFinite(Points.Point1) ? null
        : Diverged ? $"diverged at epoch {Points.DivergedEpoch:0} before 100% train accuracy"
        : $"never reached 100% train accuracy within {BudgetEpochs:0} epochs";
}
