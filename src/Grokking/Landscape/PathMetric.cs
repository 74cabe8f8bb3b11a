namespace Grokking.Landscape;

/// <summary>The metrics of a path point that barriers and figures read by name.</summary>
public enum PathMetric
{
    TrainLoss,
    TrainLossL2,
    ValLoss,
    ValLossL2,
    TrainError,
    ValError,
    GradNorm,
}
