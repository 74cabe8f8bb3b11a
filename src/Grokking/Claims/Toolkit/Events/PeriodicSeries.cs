using Grokking.Claims.Analyses;

namespace Grokking.Claims.Toolkit;

/// <summary>
/// One member's series at its metric steps, epochs strictly ascending; all arrays the same length. The event
/// detection in <see cref="PeriodicEvents"/> pairs the arrays index by index and scans them in epoch order, so a
/// mismatch is rejected here rather than read as a shorter run.
/// </summary>
public sealed record PeriodicSeries(
    double[] Epochs,
    double[] TrainAccuracy,
    double[] ValAccuracy,
    double[] EffectiveLearningRate,
    double[] EffectiveGradNorm)
{
    public double[] Epochs { get; init; } = Ascending(Epochs, nameof(Epochs));

    public double[] TrainAccuracy { get; init; } = SameLength(TrainAccuracy, Epochs, nameof(TrainAccuracy));

    public double[] ValAccuracy { get; init; } = SameLength(ValAccuracy, Epochs, nameof(ValAccuracy));

    public double[] EffectiveLearningRate { get; init; } = SameLength(EffectiveLearningRate, Epochs, nameof(EffectiveLearningRate));

    public double[] EffectiveGradNorm { get; init; } = SameLength(EffectiveGradNorm, Epochs, nameof(EffectiveGradNorm));

    private static double[] Ascending(double[] epochs, string name)
    {
        for (int i = 1; i < epochs.Length; i++)
        {
            if (!(epochs[i] > epochs[i - 1]))
            {
                throw new ArgumentException($"{name} must be strictly ascending; index {i} has {epochs[i]} after {epochs[i - 1]}", name);
            }
        }

        return epochs;
    }

    private static double[] SameLength(double[] values, double[] epochs, string name) =>
        values.Length == epochs.Length
            ? values
            : throw new ArgumentException($"{name} has {values.Length} values but {nameof(Epochs)} has {epochs.Length}", name);
}
