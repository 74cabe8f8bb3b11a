using Grokking.Configuration;
using Grokking.Training;

namespace Grokking.Tests.Unit.Engine;

/// <summary>The bench's FLOP count per model kind, each kind counted by its own formula, an unknown one refused.</summary>
public sealed class TrainingBenchmarkTests
{
    [Fact]
    public void An_mlp_counts_two_flops_per_weight()
    {
        var o = EngineFixtures.Small("Model:Kind=mlp", "Data:Kind=teacherstudent", "Model:Hidden=100,100");

        // 5-100-100-5: 2 (5 * 100 + 100 * 100 + 100 * 5).
        TrainingBenchmark.ForwardFlopsPerExample(o).Should().Be(22_000);
    }

    [Fact]
    public void A_one_layer_transformer_counts_keys_and_values_over_the_sequence_and_the_rest_at_the_last_position()
    {
        var o = EngineFixtures.Small();

        // n = 2 input tokens (a, b), d = 32, d_mlp = 64, 23 classes: K/V at every position (2 * 4 d^2), Q and O at the
        // last (4 d^2), the MLP (4 d d_mlp), the attention scores and mixing (4 n d), the unembedding (2 d * 23).
        TrainingBenchmark.ForwardFlopsPerExample(o).Should().Be((2 * 4 * 1024) + (4 * 1024) + (4 * 32 * 64) + (4 * 2 * 32) + (2 * 32 * 23));
    }

    [Fact]
    public void An_unknown_model_kind_is_refused_not_counted_as_a_transformer()
    {
        var o = EngineFixtures.Small();
        o.Model.Kind = (ModelKind)42;

        var act = () => TrainingBenchmark.ForwardFlopsPerExample(o);

        act.Should().Throw<ArgumentOutOfRangeException>().WithMessage("*Model:Kind*42*");
    }

    [Fact]
    public void The_bench_names_each_kind_and_refuses_an_unknown_one()
    {
        var mlp = EngineFixtures.Small("Model:Kind=mlp", "Data:Kind=teacherstudent", "Model:Hidden=100,100", "Model:Activation=tanh").Model;
        var transformer = EngineFixtures.Small("Model:Layers=2").Model;

        TrainingBenchmark.Describe(mlp).Should().Be("MLP 100-100 tanh");
        TrainingBenchmark.Describe(transformer).Should().Be("2-layer transformer d32/mlp64");
        transformer.Kind = (ModelKind)42;
        var act = () => TrainingBenchmark.Describe(transformer);
        act.Should().Throw<ArgumentOutOfRangeException>().WithMessage("*Model:Kind*42*");
    }
}
