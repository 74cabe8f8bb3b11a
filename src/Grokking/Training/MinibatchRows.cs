using Grokking.Data;
using static TorchSharp.torch;

namespace Grokking.Training;

/// <summary>The rows of one step.</summary>
public readonly record struct MinibatchRows(Tensor X, Tensor Y, bool InPlace, Tensor? Weights = null)
{
    /// <summary>
    /// Per-member mean [K] of a per-example loss [K, B] of these rows: in place over each member's own rows (a padded
    /// fraction sweep gives padding weight 0), else over the batch's real rows (weight 0 for a member's repeats when
    /// batches differ in size).
    /// </summary>
    public Tensor Mean(PopulationData data, Tensor perExample) =>
        InPlace ? data.TrainMean(perExample) : Weights is { } w ? perExample.mul(w).sum(1).div(w.sum(1)) : perExample.mean([1]);
}
