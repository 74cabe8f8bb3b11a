using System.Text.Json;
using Grokking.Configuration;
using Grokking.Data;
using Grokking.Runtime;
using Grokking.Training;
using static TorchSharp.torch;

namespace Grokking.Tests.Unit.Engine;

/// <summary>
/// Training-size sweeps (Population:TrainSamples, OG-11): each member's minibatches against an independent writing-out of
/// a shuffling data loader without drop_last over its own n_k rows - batches of b_k = min(B, n_k), ceil(n_k / b_k)
/// steps an epoch, the permutation randperm(n_k) drawn from (seed k, epoch) - and the weighted batch mean.
/// </summary>
public sealed class MemberBatchOrderTests
{
    public MemberBatchOrderTests() => TorchRuntime.Initialize(DeviceChoice.Cpu);

    /// <summary>Member (seed, n)'s real rows at a step, by the definition.</summary>
    private static long[] Expected(long seed, int n, int batchSize, long step)
    {
        int b = Math.Min(batchSize, n);
        long perEpoch = (n + b - 1) / b;
        using var generator = new Generator(unchecked((ulong)SeedStreams.Derive(seed, SeedStreams.Order, step / perEpoch)));
        using var permutation = randperm(n, generator: generator);
        return [.. permutation.data<long>().ToArray().Skip((int)(step % perEpoch * b)).Take(b)];
    }

    private static (long[][] Rows, float[][]? Weights) Read(Tensor indices, Tensor? weights)
    {
        int k = (int)indices.shape[0];
        return ([.. Enumerable.Range(0, k).Select(m => indices[m].data<long>().ToArray())],
            weights is null ? null : [.. Enumerable.Range(0, k).Select(m => weights[m].data<float>().ToArray())]);
    }

    [Fact]
    public void Each_member_reads_its_own_rows_in_batches_of_at_most_b_with_the_remainder_last_and_a_small_set_whole()
    {
        long[] seeds = [3, 8, 4];
        int[] counts = [7, 3, 12];
        var order = new MemberBatchOrder(seeds, counts, 5);
        order.Width.Should().Be(5);
        order.Shape(0).Should().Be((5, 2L), "7 rows: a batch of 5, then the remaining 2");
        order.Shape(1).Should().Be((3, 1L), "3 rows, fewer than a batch: the whole set every step");
        order.Shape(2).Should().Be((5, 3L));

        for (long step = 0; step < 9; step++)
        {
            var (i, w) = order.Batch(step, CPU);
            var (rows, weights) = Read(i, w);
            weights.Should().NotBeNull("member 1 never fills 5 columns");
            for (int m = 0; m < 3; m++)
            {
                var real = Expected(seeds[m], counts[m], 5, step);
                rows[m].Take(real.Length).Should().Equal(real, $"member {m}, step {step}");
                rows[m].Skip(real.Length).All(r => r == real[0]).Should().BeTrue("padding repeats the first real row");
                weights![m].Should().Equal([.. Enumerable.Range(0, 5).Select(c => c < real.Length ? 1f : 0f)]);
            }

            i.Dispose();
            w?.Dispose();
        }
    }

    [Fact]
    public void Every_epoch_of_a_member_visits_each_of_its_rows_once()
    {
        var order = new MemberBatchOrder([5, 5], [7, 13], 4);
        var seen = new List<long>[] { [], [] };
        for (long step = 0; step < 8; step++)
        {
            var (i, w) = order.Batch(step, CPU);
            var (rows, weights) = Read(i, w);
            for (int m = 0; m < 2; m++)
            {
                seen[m].AddRange(rows[m].Where((_, c) => weights is null || weights[m][c] == 1f));
            }

            i.Dispose();
            w?.Dispose();
        }

        // Member 0: 2 steps an epoch, so steps 0-7 are 4 epochs of 7 rows; member 1: 4 steps an epoch, 2 epochs of 13.
        seen[0].GroupBy(r => r).Should().OnlyContain(g => g.Count() == 4).And.HaveCount(7);
        seen[1].GroupBy(r => r).Should().OnlyContain(g => g.Count() == 2).And.HaveCount(13);
    }

    [Fact]
    public void The_loop_takes_per_member_batches_only_when_sizes_differ_and_the_batch_is_smaller_than_the_padded_set()
    {
        long[] seeds = [2, 6];
        static long[][] Rows(MinibatchLoop loop, long step) =>
            loop.Steps(step, step + 1).Select(b => Enumerable.Range(0, 2).Select(m => b.Indices()![m].data<long>().ToArray()).ToArray()).Single();

        var shared = new MinibatchLoop(9, 4, seeds, CPU, shuffleFullBatch: false);
        var equal = new MinibatchLoop(9, 4, seeds, CPU, shuffleFullBatch: false, [9, 9]);
        for (long s = 0; s < 5; s++)
        {
            Rows(equal, s).Should().BeEquivalentTo(Rows(shared, s), o => o.WithStrictOrdering(), "equal sizes are the shared loop");
        }

        var swept = new MinibatchLoop(9, 4, seeds, CPU, shuffleFullBatch: false, [9, 2]);
        foreach (var b in swept.Steps(0, 3))
        {
            b.Weights.Should().NotBeNull();
            b.Indices()![1].data<long>().ToArray().Take(2).Should().Equal(Expected(6, 2, 4, b.Step));
            var own = Expected(2, 9, 4, b.Step);
            b.Indices()![0].data<long>().ToArray().Take(own.Length).Should().Equal(own, "9 rows: batches of 4, 4 and the remaining 1");
        }

        new MinibatchLoop(9, 0, seeds, CPU, shuffleFullBatch: false, [9, 2]).Steps(0, 1).Single().Indices().Should().BeNull("full batch: in place");
    }

    [Fact]
    public void A_weighted_batch_mean_counts_only_the_real_rows()
    {
        var x = zeros(2, 3, 1);
        var y = zeros(2, 3);
        using var data = new PopulationData(TaskKind.Classification, x, y, x.clone(), y.clone(), classes: 2);
        using var perExample = tensor(new float[] { 1, 2, 3, 4, 5, 6 }, [2, 3]);
        using var weights = tensor(new float[] { 1, 1, 0, 1, 1, 1 }, [2, 3]);

        using var mean = new MinibatchRows(x, y, InPlace: false, weights).Mean(data, perExample);
        using var plain = new MinibatchRows(x, y, InPlace: false).Mean(data, perExample);

        mean.data<float>().ToArray().Should().Equal(1.5f, 5f);
        plain.data<float>().ToArray().Should().Equal(2f, 5f);
    }

    [Fact]
    public void Members_cross_the_swept_sizes_and_the_sweep_needs_images_and_stays_out_of_the_run_key_when_unset()
    {
        var o = EngineFixtures.Small("Population:Seeds=0,1", "Population:TrainSamples=10,20,40");
        PopulationSetup.Members(o).Select(m => (m.Seed, m.TrainSamples)).Should().Equal((0L, 10), (0L, 20), (0L, 40), (1L, 10), (1L, 20), (1L, 40));
        PopulationSetup.Members(o)[1].Label.Should().EndWith(", N 20");
        MemberSpec.SweptSamples(PopulationSetup.Members(o)).Should().Equal(10, 20, 40, 10, 20, 40);

        var modular = () => PopulationSetup.Validate(o);
        modular.Should().Throw<OptionsException>().WithMessage("*Population:TrainSamples*needs Data:Kind = images*");

        var both = () => EngineFixtures.Small("Population:TrainSamples=10", "Population:TrainFractions=0.5");
        both.Should().Throw<OptionsException>().WithMessage("*TrainSamples*");

        var plain = EngineFixtures.Small();
        MemberSpec.SweptSamples(PopulationSetup.Members(plain)).Should().BeNull();
        JsonSerializer.Serialize(plain.Population, RunDirectory.Json).Should().NotContain("TrainSamples");
        JsonSerializer.Serialize(PopulationSetup.Members(plain)[0], RunDirectory.Json).Should().NotContain("TrainSamples");
    }

    [Fact]
    public void A_member_of_a_size_sweep_trains_as_a_run_of_its_size_alone()
    {
        // The reference is the shared loop of one member with n = 40 and B = 30 (batches of 30 and 10); in the sweep
        // [40, 100] the same member takes its own batches beside a 100-image member, padded and weighted. The same
        // rows, the same initialization and optimizer give the same trajectory up to the summation order of the mean.
        string dir = ImageDatasetTests.IdxDirectory(train: 120, test: 10, gzip: false);
        string[] common =
        [
            "Data:Kind=images", $"Data:ImagesDirectory={dir}", "Model:Kind=mlp", "Model:Hidden=8,8", "Model:Activation=relu",
            "Model:Init=pytorchdefault", "Data:TestSamples=10", "Optimizer:Name=adamw", "Optimizer:LearningRate=0.01",
            "Optimizer:WeightDecay=0.01", "Train:BatchSize=30", "Train:Steps=12", "Train:MetricsEvery=4", "Population:Seeds=3",
        ];
        var alone = EngineFixtures.Small([.. common, "Data:TrainSamples=40"]);
        var swept = EngineFixtures.Small([.. common, "Data:TrainSamples=40", "Population:TrainSamples=40,100"]);

        var one = new PopulationTrainer(alone, PopulationSetup.Members(alone), CPU).Run();
        var two = new PopulationTrainer(swept, PopulationSetup.Members(swept), CPU).Run();

        two.StepLosses[0].Should().HaveCount(12);
        for (int step = 0; step < 12; step++)
        {
            two.StepLosses[0][step].Should().BeApproximately(one.StepLosses[0][step], 1e-4f * Math.Max(1, one.StepLosses[0][step]), $"step {step}");
        }

        var rowsOne = one.Metrics.Where(r => r.Member == 0).ToList();
        var rowsTwo = two.Metrics.Where(r => r.Member == 0).ToList();
        rowsTwo.Select(r => r.Step).Should().Equal(rowsOne.Select(r => r.Step));
        rowsTwo.Zip(rowsOne).Should().OnlyContain(p => Math.Abs(p.First.TrainLoss - p.Second.TrainLoss) <= 1e-4 * Math.Max(1, p.Second.TrainLoss)
            && p.First.TrainAccuracy == p.Second.TrainAccuracy, "the train metrics count the member's own 40 images only");
        two.StepLosses[1].Should().NotEqual(two.StepLosses[0], "the 100-image member reads other batches");
    }
}
