using Grokking.Training;
using Grokking.Tests.Unit.Engine;

namespace Grokking.Tests.Unit.Training;

/// <summary>The roofline's matmul shapes and FLOPs, against counts worked out by hand.</summary>
public sealed class ModelMatmulsTests
{
    [Fact]
    public void A_one_layer_transformer_forward_is_seven_matmuls_whose_flops_are_counted_by_hand()
    {
        // p = 23 (23 classes), 2 input tokens, d = 32, d_mlp = 64, batch 64: keys and values at both positions (128 rows),
        // queries, attention output, MLP in and out at the last position (64 rows), the unembedding.
        var o = EngineFixtures.Small();

        var forward = ModelMatmuls.Forward(o, 64);

        forward.Should().Equal(
            new MatmulShape(128, 32, 32), new MatmulShape(128, 32, 32), new MatmulShape(64, 32, 32), new MatmulShape(64, 32, 32),
            new MatmulShape(64, 32, 64), new MatmulShape(64, 64, 32), new MatmulShape(64, 32, 23));
        // 2 (2 * 128 * 32 * 32 + 2 * 64 * 32 * 32 + 2 * 64 * 32 * 64 + 64 * 32 * 23) = 2 * 702,464.
        forward.Sum(s => s.Flops).Should().Be(1_404_928);
    }

    [Fact]
    public void The_forward_matmuls_are_the_benchs_flop_count_less_the_attention_products_that_are_not_matmuls()
    {
        var o = EngineFixtures.Small("Model:Layers=2");

        // The attention scores and mixing (2 * 2 n d per query position: 2 positions in layer 1, 1 in layer 2) are broadcast
        // products in PopulationTransformer, counted in the FLOPs but not run as matmuls.
        double products = (2 * 2 * 2 * 2 * 32) + (2 * 2 * 2 * 32);
        ModelMatmuls.Forward(o, 64).Sum(s => s.Flops).Should().Be(64 * (TrainingBenchmark.ForwardFlopsPerExample(o) - products));
    }

    [Fact]
    public void A_training_step_adds_the_two_backward_matmuls_of_each_forward_one_at_the_same_flops()
    {
        var o = EngineFixtures.Small("Model:Kind=mlp", "Data:Kind=teacherstudent", "Model:Hidden=100,100");

        var step = ModelMatmuls.TrainingStep(o, 10);

        // Y [10, 100] = X [10, 5] W [5, 100]: dX = dY W^T is [10, 100] x [100, 5], dW = X^T dY is [5, 10] x [10, 100].
        step.Take(3).Should().Equal(new MatmulShape(10, 5, 100), new MatmulShape(10, 100, 5), new MatmulShape(5, 10, 100));
        step.Should().HaveCount(9);
        step.Sum(s => s.Flops).Should().Be(3 * 10 * TrainingBenchmark.ForwardFlopsPerExample(o));
    }

    [Fact]
    public void A_members_average_step_adds_the_metric_steps_evaluation_and_gradient_norm_pass_at_their_cadence()
    {
        // MLP 5 -> 3 -> 5 (the teacher-student task), batch 4, 10 train and 6 validation rows, metrics every 2 steps.
        var o = EngineFixtures.Small("Model:Kind=mlp", "Data:Kind=teacherstudent", "Model:Hidden=3", "Train:MetricsEvery=2");
        // Forward FLOPs per row: 2 (5 * 3 + 3 * 5) = 60 (the teacher's 5 outputs); a training row costs three times that.
        double training = 3 * 60 * 4;
        double evaluation = 60 * (10 + 6);

        ModelMatmuls.MemberStepFlops(o, 4, 10, 6).Should().Be(training + (evaluation / 2));
        o.Train.StochasticGradientNorm = true;
        ModelMatmuls.MemberStepFlops(o, 4, 10, 6).Should().Be(training + ((evaluation + (3 * 60 * 10)) / 2));
        o.Train.MetricsEvery = 0;
        ModelMatmuls.MemberStepFlops(o, 4, 10, 6).Should().Be(training);
    }
}
