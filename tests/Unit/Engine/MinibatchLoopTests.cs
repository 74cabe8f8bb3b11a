using Grokking.Data;
using Grokking.Runtime;
using Grokking.Training;
using static TorchSharp.torch;

namespace Grokking.Tests.Unit.Engine;

/// <summary>
/// The minibatch loop the trainer and the curve fitter share, against an independent re-implementation of its
/// definition: member k's batch at step s is rows [p B, min(p B + B, n)) of the permutation randperm(n) drawn from
/// (order seed k, epoch e), with e = s / ceil(n / B) and p = s mod ceil(n / B). Any change here changes every
/// training trajectory and every fitted curve.
/// </summary>
public sealed class MinibatchLoopTests
{
    public MinibatchLoopTests() => TorchRuntime.Initialize(DeviceChoice.Cpu);

    [Fact]
    public void Each_step_reads_the_next_rows_of_each_members_permutation_of_its_epoch_with_the_remainder_last()
    {
        long[] seeds = [3, 8, 3];
        var loop = new MinibatchLoop(23, 5, seeds, CPU, shuffleFullBatch: false);
        loop.BatchSize.Should().Be(5);
        loop.StepsPerEpoch.Should().Be(5);
        loop.InPlace.Should().BeFalse();

        var batches = Read(loop, 0, 13);

        batches.Select(b => (b.Step, b.Epoch, b.Position)).Should().Equal(Enumerable.Range(0, 13).Select(s => ((long)s, s / 5L, s % 5L)));
        for (int s = 0; s < 13; s++)
        {
            batches[s].Indices.Should().BeEquivalentTo(Expected(seeds, 23, 5, s), o => o.WithStrictOrdering(), $"step {s}");
        }

        batches[4].Indices![0].Should().HaveCount(3, "the last batch of an epoch is the remainder, 23 - 4 * 5");
        batches[0].Indices![0].Should().Equal(batches[0].Indices![2], "members with one order seed read the same rows");
        batches[0].Indices![0].Should().NotEqual(batches[0].Indices![1]);
    }

    [Fact]
    public void The_batch_sequence_of_a_seed_is_pinned()
    {
        // Order seed 3, n = 7, B = 3: epochs of batches of 3, 3 and 1 rows. If this changes, every run changes.
        var loop = new MinibatchLoop(7, 3, [3], CPU, shuffleFullBatch: false);

        var rows = Read(loop, 0, 6).Select(b => b.Indices![0]).ToList();

        rows.Should().BeEquivalentTo(Enumerable.Range(0, 6).Select(s => Expected([3], 7, 3, s)[0]), o => o.WithStrictOrdering());
        string.Join(" | ", rows.Select(r => string.Join(",", r))).Should().Be(PinnedSequence);
    }

    [Fact]
    public void A_loop_started_inside_an_epoch_reads_the_batches_an_uninterrupted_loop_reads()
    {
        var loop = new MinibatchLoop(23, 5, [4, 9], CPU, shuffleFullBatch: false);

        var resumed = Read(loop, 7, 13);

        resumed.Should().BeEquivalentTo(Read(loop, 0, 13).Skip(7), o => o.WithStrictOrdering());
    }

    [Fact]
    public void A_full_batch_reads_the_training_set_in_place_for_the_trainer_and_in_each_epochs_order_for_the_curve_fitter()
    {
        long[] seeds = [1, 2];
        foreach (int size in new[] { 0, 23, 1000 })
        {
            var inPlace = new MinibatchLoop(23, size, seeds, CPU, shuffleFullBatch: false);
            inPlace.BatchSize.Should().Be(23);
            inPlace.StepsPerEpoch.Should().Be(1);
            inPlace.InPlace.Should().BeTrue();
            Read(inPlace, 0, 3).Should().OnlyContain(b => b.Indices == null);

            var shuffled = new MinibatchLoop(23, size, seeds, CPU, shuffleFullBatch: true);
            shuffled.InPlace.Should().BeFalse();
            var batches = Read(shuffled, 0, 3);
            for (int s = 0; s < 3; s++)
            {
                batches[s].Indices.Should().BeEquivalentTo(Expected(seeds, 23, 23, s), o => o.WithStrictOrdering());
            }
        }
    }

    [Fact]
    public void Rows_in_place_are_the_training_set_itself_and_shuffled_rows_are_each_members_gathered_rows()
    {
        var x = arange(2 * 6 * 2, dtype: ScalarType.Float32).reshape(2, 6, 2);
        var y = arange(2 * 6, dtype: ScalarType.Int64).reshape(2, 6);
        using var data = new PopulationData(TaskKind.Classification, x, y, x.clone(), y.clone(), classes: 12);

        foreach (var step in new MinibatchLoop(6, 0, [1, 2], CPU, shuffleFullBatch: false).Steps(0, 1))
        {
            var inPlace = step.Rows(data);
            inPlace.InPlace.Should().BeTrue();
            ReferenceEquals(inPlace.X, data.TrainX).Should().BeTrue();
            ReferenceEquals(inPlace.Y, data.TrainY).Should().BeTrue();
        }

        // A batch's rows are read during its step: the epoch's order is released when the enumeration moves on.
        foreach (var step in new MinibatchLoop(6, 4, [1, 2], CPU, shuffleFullBatch: false).Steps(1, 2))
        {
            var rows = step.Rows(data);
            rows.InPlace.Should().BeFalse();
            var indices = Expected([1, 2], 6, 4, 1);
            for (int k = 0; k < 2; k++)
            {
                rows.Y[k].data<long>().ToArray().Should().Equal(indices[k].Select(i => (k * 6) + i), "label (k, i) is k * 6 + i");
                rows.X[k, 0].data<float>().ToArray().Should().Equal(2f * ((k * 6) + indices[k][0]), (2f * ((k * 6) + indices[k][0])) + 1);
            }
        }
    }

    private const string PinnedSequence = "5,2,3 | 1,0,6 | 4 | 1,5,6 | 4,3,2 | 0";

    private sealed record Batch(long Step, long Epoch, long Position, long[][]? Indices);

    private static List<Batch> Read(MinibatchLoop loop, long from, long to) =>
        loop.Steps(from, to).Select(b =>
        {
            using var indices = b.Indices();
            return new Batch(b.Step, b.Epoch, b.Position, indices is null ? null : Rows(indices));
        }).ToList();

    private static long[][] Rows(Tensor indices) =>
        Enumerable.Range(0, (int)indices.shape[0]).Select(k => indices[k].data<long>().ToArray()).ToArray();

    /// <summary>The definition, written out: each member's permutation of the step's epoch, cut at the step's position.</summary>
    private static long[][] Expected(long[] seeds, int n, int batchSize, long step)
    {
        long stepsPerEpoch = (n + batchSize - 1) / batchSize;
        long epoch = step / stepsPerEpoch;
        long first = step % stepsPerEpoch * batchSize;
        return seeds.Select(seed =>
        {
            using var generator = new Generator(unchecked((ulong)SeedStreams.Derive(seed, SeedStreams.Order, epoch)));
            using var permutation = randperm(n, generator: generator);
            return permutation.data<long>().ToArray().Skip((int)first).Take(batchSize).ToArray();
        }).ToArray();
    }
}
