using Grokking.Data;
using static TorchSharp.torch;

namespace Grokking.Training;

/// <summary>
/// One step of a <see cref="MinibatchLoop"/>: rows [First, First + Size) of each member's order of the epoch, or the
/// whole training set in place when there is no order. Valid while the enumeration is at this step: the loop
/// releases the epoch's order when it moves on. <c>Weights</c> ([K, Size], 1 a real row, 0 a repeat) is set when
/// members' batches differ in size (a training-size sweep), else null.
/// </summary>
public readonly record struct Minibatch(long Step, long Epoch, long Position, Tensor? Order, long First, long Size, Tensor? Weights = null)
{
    /// <summary>[K, B] indices of each member's rows of this step (a view of the order), or null in place.</summary>
    public Tensor? Indices() => Order?.narrow(1, First, Size);

    /// <summary>
    /// Each member's inputs (as it represents them: <see cref="PopulationData.Represent"/>) and labels of this step,
    /// [K, B, ...], made in the caller's dispose scope; with
    /// <paramref name="firstMember"/>, <paramref name="data"/> holds members [firstMember, firstMember + data.Members) of the loop's.
    /// </summary>
    public MinibatchRows Rows(PopulationData data, int firstMember = 0)
    {
        bool all = Order is null || (firstMember == 0 && data.Members == Order.shape[0]);
        var indices = all ? Indices() : Indices()!.narrow(0, firstMember, data.Members);
        var weights = all ? Weights : Weights?.narrow(0, firstMember, data.Members);
        if (indices is null)
        {
            return new MinibatchRows(data.Represent(data.TrainX, data.TrainY), data.TrainY, InPlace: true);
        }

        var y = PopulationData.Gather(data.TrainY, indices);
        return new MinibatchRows(data.Represent(PopulationData.Gather(data.TrainX, indices), y), y, InPlace: false, weights);
    }
}
