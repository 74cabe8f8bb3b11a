using Grokking.Models;
using Grokking.Runtime;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Grokking.Tests.Unit.Engine;

/// <summary>
/// The population LSTM (Omnigrok's IMDb classifier) against TorchSharp's own nn.Embedding / nn.LSTM / nn.Linear
/// member by member, autograd against central differences, member independence, and the initialization.
/// </summary>
public class PopulationLstmTests
{
    public PopulationLstmTests() => TorchRuntime.Initialize(DeviceChoice.Cpu);

    private static Parameter P(PopulationModel model, string name) => model.Parameters.Single(p => p.Name == name).Value;

    private static PopulationLstm Float64Model(int members, int vocabulary, int embedding, int hidden, int layers, params double[] scales)
    {
        var model = new PopulationLstm(members, vocabulary, embedding, hidden, layers, CPU, ScalarType.Float64);
        model.Initialize(Enumerable.Range(0, members).Select(k => 17L + k).ToList(), scales.Length > 0 ? scales : Enumerable.Repeat(1.0, members).ToList());
        return model;
    }

    [Fact]
    public void Parameters_are_registered_in_order_with_their_shapes_and_the_read_out_is_fc_weight()
    {
        using var model = new PopulationLstm(3, vocabulary: 10, embedding: 5, hidden: 6, layers: 2);

        model.Parameters.Select(p => p.Name).Should().Equal(
            "embedding.weight",
            "lstm.0.weight_ih", "lstm.0.weight_hh", "lstm.0.bias_ih", "lstm.0.bias_hh",
            "lstm.1.weight_ih", "lstm.1.weight_hh", "lstm.1.bias_ih", "lstm.1.bias_hh",
            "fc.weight", "fc.bias");
        model.Parameters.Select(p => p.Value.shape).Should().BeEquivalentTo(
            new long[][] { [3, 10, 5], [3, 5, 24], [3, 6, 24], [3, 24], [3, 24], [3, 6, 24], [3, 6, 24], [3, 24], [3, 24], [3, 6, 1], [3, 1] },
            o => o.WithStrictOrdering());
        model.Parameters.Should().OnlyContain(p => p.Value.dtype == ScalarType.Float32 && !p.ScaleInvariant);
        model.OutputWeightName.Should().Be("fc.weight");
        model.HasScaleInvariantParameters.Should().BeFalse();
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Every_member_computes_TorchSharps_embedding_LSTM_and_linear_with_its_own_weights(int layers)
    {
        const int Members = 3, Vocabulary = 11, Embedding = 5, Hidden = 6, Batch = 4, Steps = 9;
        using var model = Float64Model(Members, Vocabulary, Embedding, Hidden, layers, 1.0, 0.7, 1.6);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var tokens = randint(0, Vocabulary, [Members, Batch, Steps], generator: new Generator(21));
        tokens.select(1, 0).select(1, 0).zero_(); // padding id 0 is an ordinary embedding row

        var logits = model.forward(tokens);

        logits.shape.Should().Equal(Members, Batch, 2);
        logits.select(2, 0).abs().max().item<double>().Should().Be(0, "the first logit is the fixed 0 beside z");
        for (int k = 0; k < Members; k++)
        {
            var expected = ReferenceZ(model, k, tokens[k], layers);
            double scale = expected.abs().max().item<double>();
            scale.Should().BeGreaterThan(1e-3);
            logits[k].select(1, 1).sub(expected).abs().max().item<double>().Should().BeLessThan(1e-12 * Math.Max(1, scale), $"member {k}");
        }
    }

    /// <summary>Member k's weights copied into TorchSharp's modules (PyTorch stores [out, in]: transposed here).</summary>
    private static Tensor ReferenceZ(PopulationLstm model, int k, Tensor tokens, int layers)
    {
        long vocabulary = P(model, "embedding.weight").shape[1];
        long embedding = P(model, "embedding.weight").shape[2];
        long hidden = P(model, "fc.weight").shape[1];
        using var embed = nn.Embedding(vocabulary, embedding, dtype: ScalarType.Float64);
        using var lstm = nn.LSTM(embedding, hidden, numLayers: layers, batchFirst: true, dtype: ScalarType.Float64);
        using var fc = nn.Linear(hidden, 1, dtype: ScalarType.Float64);
        var lstmParameters = lstm.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        lstmParameters.Should().HaveCount(4 * layers);
        embed.weight!.copy_(P(model, "embedding.weight")[k]);
        for (int l = 0; l < layers; l++)
        {
            lstmParameters[$"weight_ih_l{l}"].copy_(P(model, $"lstm.{l}.weight_ih")[k].t());
            lstmParameters[$"weight_hh_l{l}"].copy_(P(model, $"lstm.{l}.weight_hh")[k].t());
            lstmParameters[$"bias_ih_l{l}"].copy_(P(model, $"lstm.{l}.bias_ih")[k]);
            lstmParameters[$"bias_hh_l{l}"].copy_(P(model, $"lstm.{l}.bias_hh")[k]);
        }

        fc.weight!.copy_(P(model, "fc.weight")[k].t());
        fc.bias!.copy_(P(model, "fc.bias")[k]);
        var (output, _, _) = lstm.call(embed.call(tokens));
        return fc.call(output.select(1, output.shape[1] - 1)).squeeze(1);
    }

    [Fact]
    public void Two_class_cross_entropy_on_zero_and_z_is_BCE_on_sigmoid_z_and_argmax_is_rounding()
    {
        using var scope = NewDisposeScope();
        var z = tensor(new[] { -3.0, -0.2, 0.0, 0.4, 2.5, -7.0 });
        var labels = tensor(new long[] { 0, 1, 1, 0, 1, 0 });
        var logits = stack([zeros_like(z), z], 1);

        double crossEntropy = nn.functional.cross_entropy(logits, labels).item<double>();
        double bce = nn.functional.binary_cross_entropy_with_logits(z, labels.to_type(ScalarType.Float64)).item<double>();

        crossEntropy.Should().BeApproximately(bce, 1e-14);
        logits.argmax(1).data<long>().ToArray().Should().Equal(z.sigmoid().round().to_type(ScalarType.Int64).data<long>().ToArray());
    }

    [Fact]
    public void Gradients_of_every_parameter_match_central_differences()
    {
        const double Step = 1e-6;
        using var model = Float64Model(2, vocabulary: 7, embedding: 3, hidden: 4, layers: 2, 1.0, 1.4);
        using var scope = NewDisposeScope();
        var tokens = randint(0, 7, [2, 3, 5], generator: new Generator(5));
        var labels = randint(0, 2, [2, 3], generator: new Generator(6));
        Tensor Loss() => nn.functional.cross_entropy(model.forward(tokens).reshape(-1, 2), labels.reshape(-1));

        Loss().backward();
        var start = model.Snapshot();
        var pick = new Random(8);
        foreach (var p in model.Parameters)
        {
            p.Value.grad!.abs().max().item<double>().Should().BeGreaterThan(0, $"{p.Name} must get a gradient");
            using var flatGrad = p.Value.grad!.reshape(-1);
            long perMember = flatGrad.shape[0] / 2;
            for (int i = 0; i < 4; i++)
            {
                // Two entries of each member; the embedding's from the rows the tokens use, so they are not all zero.
                long index = (i % 2 * perMember) + EntryOf(p, perMember, tokens[i % 2], pick);
                double analytic = flatGrad[index].item<double>();
                double numeric = (LossMoved(model, p, index, Step, Loss, start) - LossMoved(model, p, index, -Step, Loss, start)) / (2 * Step);
                Math.Abs(analytic - numeric).Should().BeLessThan(1e-8 + (1e-6 * Math.Abs(analytic)), $"{p.Name}[{index}]: {analytic:R} vs {numeric:R}");
            }
        }
    }

    private static long EntryOf(PopulationParameter p, long perMember, Tensor memberTokens, Random pick)
    {
        if (p.Name != "embedding.weight")
        {
            return pick.NextInt64(perMember);
        }

        long width = p.Value.shape[2];
        long row = memberTokens.reshape(-1)[pick.Next((int)memberTokens.numel())].item<long>();
        return (row * width) + pick.NextInt64(width);
    }

    private static double LossMoved(PopulationLstm model, PopulationParameter p, long index, double delta, Func<Tensor> loss, Dictionary<string, Tensor> start)
    {
        using var noGrad = no_grad();
        using var flat = p.Value.view(-1);
        flat[index].add_(delta);
        double value = loss().item<double>();
        model.Load(start);
        return value;
    }

    [Fact]
    public void Members_are_independent_functions_of_their_own_parameters()
    {
        using var model = Float64Model(2, vocabulary: 9, embedding: 4, hidden: 5, layers: 2);
        using var scope = NewDisposeScope();
        var tokens = randint(0, 9, [2, 6, 7], generator: new Generator(12));

        var logits = model.forward(tokens);
        logits[0].select(1, 1).sum().backward();
        foreach (var p in model.Parameters)
        {
            p.Value.grad![1].abs().max().item<double>().Should().Be(0, $"member 0's output must not reach member 1's {p.Name}");
            p.Value.grad![0].abs().max().item<double>().Should().BeGreaterThan(0, $"member 0's {p.Name} must get a gradient");
        }

        var before = logits.detach().clone();
        using (no_grad())
        {
            var g = new Generator(5);
            foreach (var p in model.Parameters)
            {
                p.Value[1].add_(randn(p.Value.shape[1..], ScalarType.Float64, generator: g).mul_(0.5));
            }
        }

        var after = model.forward(tokens).detach();
        after[0].sub(before[0]).abs().max().item<double>().Should().Be(0, "member 0's output must not depend on member 1's weights");
        after[1].sub(before[1]).abs().max().item<double>().Should().BeGreaterThan(0);
    }

    [Fact]
    public void Initialize_draws_a_unit_normal_embedding_and_everything_else_uniformly_within_one_over_sqrt_hidden()
    {
        const int Hidden = 128;
        using var model = new PopulationLstm(2, vocabulary: 1000, embedding: 64, hidden: Hidden, layers: 2);
        model.Initialize([3, 4], [1.0, 2.0]);
        double bound = 1 / Math.Sqrt(Hidden);

        for (int k = 0; k < 2; k++)
        {
            double scale = k + 1;
            var embedding = P(model, "embedding.weight")[k];
            double n = embedding.numel();
            ((double)embedding.mean().item<float>()).Should().BeApproximately(0, 5 * scale / Math.Sqrt(n));
            ((double)embedding.square().mean().item<float>()).Should().BeApproximately(scale * scale, 5 * scale * scale * Math.Sqrt(2 / n));

            foreach (var p in model.Parameters.Where(p => p.Name != "embedding.weight"))
            {
                var w = p.Value[k];
                p.Init.Should().Be(InitKind.Uniform);
                p.Fan.Should().Be(Hidden, p.Name);
                ((double)w.abs().max().item<float>()).Should().BeLessThanOrEqualTo(scale * bound * (1 + 1e-6), p.Name);
                if (w.numel() >= 512)
                {
                    // U(-b, b): max |w| near b, mean 0 (sd b / sqrt(3n)), mean square b^2 / 3 (relative sd sqrt(0.8 / n)).
                    double meanSquare = scale * scale * bound * bound / 3;
                    ((double)w.abs().max().item<float>()).Should().BeGreaterThan(0.95 * scale * bound, p.Name);
                    ((double)w.mean().item<float>()).Should().BeApproximately(0, 5 * scale * bound / Math.Sqrt(3 * w.numel()), p.Name);
                    ((double)w.square().mean().item<float>()).Should().BeApproximately(meanSquare, 5 * meanSquare * Math.Sqrt(0.8 / w.numel()), p.Name);
                }
            }
        }

        var recurrent = P(model, "lstm.1.weight_hh");
        ((double)recurrent[0].sub(recurrent[1].div(2)).abs().max().item<float>()).Should().BeGreaterThan(0, "members are drawn from their own seeds");
    }
}
