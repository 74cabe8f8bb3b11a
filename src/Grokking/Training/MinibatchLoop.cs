using static TorchSharp.torch;

namespace Grokking.Training;

/// <summary>
/// The minibatch loop the trainer and the curve fitter share: the training set of n rows in batches of B (0 = all
/// n), ceil(n / B) steps an epoch, the last batch of an epoch the remainder. Member k visits its rows in epoch e in
/// the order <see cref="MinibatchOrder.ForEpoch"/> draws from (order seed k, e), drawn when a step enters an epoch,
/// so a loop started at any step (a resumed run) sees the batches an uninterrupted one would.
/// </summary>
/// <param name="orderSeeds">Each member's seed of its visiting order (the trainer's member seeds; the fitter derives its own).</param>
/// <param name="memberCounts">
/// Each member's own number of training rows when they differ (a training-size sweep, padded to <paramref name="trainCount"/>),
/// else null. With a batch smaller than the padded set each member then takes its own batches (<see cref="MemberBatchOrder"/>);
/// a full batch is read in place as before.
/// </param>
/// <param name="shuffleFullBatch">
/// Whether a full batch (B >= n) still reads the rows in the epoch's order. The trainer reads a full batch in place:
/// no order is drawn and nothing is gathered (with 40 teacher-student members the per-member permutations cost more
/// than the step), and a padded fraction sweep is averaged over each member's own rows. The curve fitter reads its
/// full batches shuffled, as it always has: the order changes the summation order of the batch mean and so the bits
/// of every fitted bend.
/// </param>
public sealed class MinibatchLoop(
    int trainCount, int batchSize, IReadOnlyList<long> orderSeeds, Device device, bool shuffleFullBatch, IReadOnlyList<int>? memberCounts = null)
{
    /// <summary>Rows of the training set.</summary>
    public int TrainCount { get; } = trainCount;

    /// <summary>Rows of a batch: the requested size, or the whole training set for 0 (or a larger request).</summary>
    public int BatchSize { get; } = EffectiveBatchSize(batchSize, trainCount);

    public long StepsPerEpoch => (TrainCount + BatchSize - 1) / BatchSize;

    /// <summary>True when every step reads the training set in place (a full batch the loop does not shuffle).</summary>
    public bool InPlace => BatchSize >= TrainCount && !shuffleFullBatch;

    public static int EffectiveBatchSize(int batchSize, int trainCount) => batchSize <= 0 ? trainCount : Math.Min(batchSize, trainCount);

    /// <summary>
    /// The batches of steps [<paramref name="from"/>, <paramref name="to"/>) in order. An epoch's order lives until
    /// the loop leaves the epoch or the enumeration ends (a consumer may stop early); a batch's index tensors are made
    /// in the consumer's dispose scope, by <see cref="Minibatch.Rows"/>.
    /// </summary>
    public IEnumerable<Minibatch> Steps(long from, long to) => PerMember ? MemberSteps(from, to) : SharedSteps(from, to);

    /// <summary>True when members with training sets of different sizes take their own minibatches.</summary>
    private bool PerMember => !InPlace && memberCounts is { } n && n.Distinct().Count() > 1;

    private IEnumerable<Minibatch> SharedSteps(long from, long to)
    {
        Tensor? order = null;
        long orderEpoch = -1;
        try
        {
            for (long step = from; step < to; step++)
            {
                long epoch = step / StepsPerEpoch;
                long position = step % StepsPerEpoch;
                if (!InPlace && epoch != orderEpoch)
                {
                    order?.Dispose();
                    order = MinibatchOrder.ForEpoch(orderSeeds, TrainCount, epoch, device);
                    orderEpoch = epoch;
                }

                long first = position * BatchSize;
                yield return new Minibatch(step, epoch, position, order, first, Math.Min(BatchSize, TrainCount - first));
            }
        }
        finally
        {
            order?.Dispose();
        }
    }

    /// <summary>
    /// Each member's own batches (<see cref="MemberBatchOrder"/>); Epoch and Position are the largest member's. A step's
    /// tensors live until the loop moves on or the enumeration ends.
    /// </summary>
    private IEnumerable<Minibatch> MemberSteps(long from, long to)
    {
        var orders = new MemberBatchOrder(orderSeeds, memberCounts!, BatchSize);
        Tensor? indices = null;
        Tensor? weights = null;
        try
        {
            for (long step = from; step < to; step++)
            {
                indices?.Dispose();
                weights?.Dispose();
                (indices, weights) = orders.Batch(step, device);
                yield return new Minibatch(step, step / StepsPerEpoch, step % StepsPerEpoch, indices, 0, orders.Width, weights);
            }
        }
        finally
        {
            indices?.Dispose();
            weights?.Dispose();
        }
    }
}
