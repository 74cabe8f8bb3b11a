using Grokking.Configuration;
using Grokking.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace Grokking.Tests.Unit.Engine;

public class PopulationTransformerTests
{
    [Fact]
    public void Batched_forward_matches_a_naive_per_member_transformer()
    {
        var o = EngineFixtures.Small();
        var model = new PopulationTransformer(2, o.Model, vocabulary: 23, sequenceLength: 2, classes: 23);
        model.Initialize([3, 4], [1.0, 1.5]);
        var tokens = randint(0, 23, [2, 5, 2], generator: new Generator(9));

        using var noGrad = no_grad();
        var batched = model.forward(tokens);
        for (int k = 0; k < 2; k++)
        {
            var expected = NaiveForward(model, k, tokens[k], heads: 4);
            batched[k].allclose(expected, rtol: 1e-4, atol: 1e-5).Should().BeTrue($"member {k} must equal the unbatched computation");
        }
    }

    /// <summary>Textbook 1-layer transformer without normalization, all positions, causal mask, read at the last.</summary>
    private static Tensor NaiveForward(PopulationTransformer model, int k, Tensor tokens, int heads)
    {
        Tensor P(string name) => model.Parameters.Single(p => p.Name == name).Value[k];
        var x = P("embed").index_select(0, tokens.reshape(-1)).reshape(tokens.shape[0], tokens.shape[1], -1) + P("position");
        long n = tokens.shape[1];
        long d = x.shape[2];
        long dh = d / heads;
        var outputs = new List<Tensor>();
        for (int h = 0; h < heads; h++)
        {
            var cols = arange(h * dh, (h + 1) * dh, dtype: ScalarType.Int64);
            var q = x.matmul(P("blocks.0.attn.q").index_select(1, cols));
            var kk = x.matmul(P("blocks.0.attn.k").index_select(1, cols));
            var v = x.matmul(P("blocks.0.attn.v").index_select(1, cols));
            var scores = q.matmul(kk.transpose(1, 2)) / Math.Sqrt(dh);
            var mask = ones(n, n, dtype: ScalarType.Bool).triu(1);
            outputs.Add(scores.masked_fill(mask, double.NegativeInfinity).softmax(-1).matmul(v));
        }

        x = x + cat(outputs, 2).matmul(P("blocks.0.attn.o"));
        var hidden = (x.matmul(P("blocks.0.mlp.in.weight")) + P("blocks.0.mlp.in.bias")).relu();
        x = x + hidden.matmul(P("blocks.0.mlp.out.weight")) + P("blocks.0.mlp.out.bias");
        return x.select(1, n - 1).matmul(P("unembed"));
    }

    [Fact]
    public void LayerNorm_model_is_invariant_to_scaling_its_scale_invariant_weights_and_the_plain_model_is_not()
    {
        foreach (var (norm, invariant) in new[] { (Normalization.LayerNorm, true), (Normalization.None, false) })
        {
            var o = EngineFixtures.Small($"Model:Norm={norm}", "Model:Layers=2");
            var model = new PopulationTransformer(1, o.Model, 23, 2, 23);
            model.Initialize([1], [1.0]);
            var tokens = randint(0, 23, [1, 16, 2], generator: new Generator(2));
            using var noGrad = no_grad();
            var before = model.forward(tokens);
            var scaled = model.Parameters.Where(p => norm == Normalization.None ? p.Name.StartsWith("blocks", StringComparison.Ordinal) || p.Name is "embed" or "position" : p.ScaleInvariant).ToList();
            scaled.Should().NotBeEmpty();
            foreach (var p in scaled)
            {
                p.Value.mul_(3.0);
            }

            var after = model.forward(tokens);
            after.allclose(before, rtol: 1e-3, atol: 1e-4).Should().Be(invariant, $"norm = {norm}");
        }
    }

    [Fact]
    public void Post_norm_model_matches_a_textbook_post_LN_transformer_with_fixed_positions_and_no_biases()
    {
        var o = EngineFixtures.Small("Model:Norm=postlayernorm", "Model:Layers=2", "Model:Positions=sinusoidal", "Model:WithoutBiases=true");
        var model = new PopulationTransformer(2, o.Model, vocabulary: 26, sequenceLength: 5, classes: 26);
        model.Initialize([5, 6], [1.0, 1.0]);
        model.Parameters.Should().NotContain(p => p.Name.Contains("bias", StringComparison.Ordinal) && !p.Name.Contains(".ln", StringComparison.Ordinal));
        model.Parameters.Should().NotContain(p => p.Name == "position" || p.Name == "ln_final.gain" || p.Name.Contains("mlp.ln", StringComparison.Ordinal));
        model.OutputWeightName.Should().Be("unembed");
        using (no_grad())
        {
            // LayerNorm gains and biases away from 1 and 0, so the test sees where they are applied.
            foreach (var p in model.Parameters.Where(p => p.Name.Contains(".ln", StringComparison.Ordinal)))
            {
                p.Value.add_(randn(p.Value.shape, generator: new Generator(3)).mul_(0.3));
            }
        }

        var tokens = randint(0, 26, [2, 6, 5], generator: new Generator(4));
        using var noGrad = no_grad();
        var batched = model.forward(tokens);
        for (int k = 0; k < 2; k++)
        {
            var expected = NaivePostNorm(model, k, tokens[k], heads: 4, layers: 2);
            batched[k].allclose(expected, rtol: 1e-4, atol: 1e-5).Should().BeTrue($"member {k} must equal the textbook computation");
        }
    }

    [Fact]
    public void Sinusoidal_table_matches_hand_computed_entries()
    {
        using var table = PopulationTransformer.SinusoidalPositions(5, 8, ScalarType.Float64, CPU);
        table[0].data<double>().ToArray().Should().Equal(0, 1, 0, 1, 0, 1, 0, 1);
        table[3, 0].item<double>().Should().BeApproximately(Math.Sin(3), 1e-12);
        table[3, 1].item<double>().Should().BeApproximately(Math.Cos(3), 1e-12);
        table[3, 2].item<double>().Should().BeApproximately(Math.Sin(3 / Math.Pow(10000, 2.0 / 8)), 1e-12);
        table[3, 7].item<double>().Should().BeApproximately(Math.Cos(3 / Math.Pow(10000, 6.0 / 8)), 1e-12);
    }

    /// <summary>openai/grok's decoder: x = LN(x + MHA(x)), x = LN(x + FFN(x)) per block on every position, no biases, logits at the last position.</summary>
    private static Tensor NaivePostNorm(PopulationTransformer model, int k, Tensor tokens, int heads, int layers)
    {
        Tensor P(string name) => model.Parameters.Single(p => p.Name == name).Value[k];
        long n = tokens.shape[1];
        var x = P("embed").index_select(0, tokens.reshape(-1)).reshape(tokens.shape[0], n, -1);
        long d = x.shape[2];
        x = x + PopulationTransformer.SinusoidalPositions((int)n, (int)d, ScalarType.Float32, CPU);
        Tensor Ln(Tensor v, string name)
        {
            var mean = v.mean([-1], keepdim: true);
            var variance = (v - mean).pow(2).mean([-1], keepdim: true);
            return ((v - mean) / (variance + 1e-5).sqrt() * P(name + ".gain")) + P(name + ".bias");
        }

        long dh = d / heads;
        for (int l = 0; l < layers; l++)
        {
            string b = $"blocks.{l}.";
            var outputs = new List<Tensor>();
            for (int h = 0; h < heads; h++)
            {
                var cols = arange(h * dh, (h + 1) * dh, dtype: ScalarType.Int64);
                var q = x.matmul(P(b + "attn.q").index_select(1, cols));
                var kk = x.matmul(P(b + "attn.k").index_select(1, cols));
                var v = x.matmul(P(b + "attn.v").index_select(1, cols));
                var scores = q.matmul(kk.transpose(1, 2)) / Math.Sqrt(dh);
                var mask = ones(n, n, dtype: ScalarType.Bool).triu(1);
                outputs.Add(scores.masked_fill(mask, double.NegativeInfinity).softmax(-1).matmul(v));
            }

            x = Ln(x + cat(outputs, 2).matmul(P(b + "attn.o")), b + "ln1");
            x = Ln(x + x.matmul(P(b + "mlp.in.weight")).relu().matmul(P(b + "mlp.out.weight")), b + "ln2");
        }

        return x.select(1, n - 1).matmul(P("unembed"));
    }

    [Fact]
    public void Disposing_the_model_releases_the_causal_mask_its_forward_built()
    {
        // Two layers: the first block attends from every position, so the forward builds the causal mask.
        var o = EngineFixtures.Small("Model:Layers=2");
        long Left(bool forward)
        {
            long before = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
            using (var model = new PopulationTransformer(1, o.Model, vocabulary: 23, sequenceLength: 3, classes: 23))
            {
                if (forward)
                {
                    using var scope = NewDisposeScope();
                    using var noGrad = no_grad();
                    model.forward(zeros([1, 2, 3], ScalarType.Int64));
                }
            }

            return DisposeScopeManager.Statistics.ThreadTotalLiveCount - before;
        }

        Left(forward: true).Should().Be(Left(forward: false), "a forward pass must leave nothing behind once the model is disposed");
    }
}
