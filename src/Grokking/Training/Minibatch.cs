using Grokking.Data;
using static TorchSharp.torch;

namespace Grokking.Training;

/// <summary>
/// One step of a <see cref="MinibatchLoop"/>: rows [First, First + Size) of each member's order of the epoch, or the
/// whole training set in place when there is no order. Valid while the enumeration is at this step: the loop
/// releases the epoch's order when it moves on.
/// </summary>
public readonly record struct Minibatch(long Step, long Epoch, long Position, Tensor? Order, long First, long Size)
{
    /// <summary>[K, B] indices of each member's rows of this step (a view of the order), or null in place.</summary>
    public Tensor? Indices() => Order?.narrow(1, First, Size);

    /// <summary>Each member's inputs and labels of this step, [K, B, ...], made in the caller's dispose scope.</summary>
    public MinibatchRows Rows(PopulationData data)
    {
        var indices = Indices();
        return indices is null
            ? new MinibatchRows(data.TrainX, data.TrainY, InPlace: true)
            : new MinibatchRows(PopulationData.Gather(data.TrainX, indices), PopulationData.Gather(data.TrainY, indices), InPlace: false);
    }
}

/// <summary>The rows of one step.</summary>
public readonly record struct MinibatchRows(Tensor X, Tensor Y, bool InPlace)
{
    /// <summary>
    /// Per-member mean [K] of a per-example loss [K, B] of these rows: in place over each member's own rows (a padded
    /// fraction sweep gives padding weight 0), else over the batch.
    /// </summary>
    public Tensor Mean(PopulationData data, Tensor perExample) => InPlace ? data.TrainMean(perExample) : perExample.mean([1]);
}
