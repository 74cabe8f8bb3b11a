using Grokking.Configuration;
using Grokking.Data;
using Grokking.Models;
using static TorchSharp.torch;

namespace Grokking.Tests.Unit.Engine;

/// <summary>
/// Moments of every initialization against their definitions: PyTorch's layer defaults and the Nanda/Omnigrok
/// transformer (weights N(0, 1/d_model), unembedding N(0, 1/d_vocab), biases zero).
/// </summary>
public class InitializationTests
{
    private static Dictionary<string, Tensor> Drawn(string init, int modulus = 113, string format = "equalstoken")
    {
        var o = EngineFixtures.Small($"Model:Init={init}", $"Data:Modulus={modulus}", $"Data:Format={format}", "Model:DModel=128", "Model:DMlp=512", "Model:Heads=4");
        using var model = PopulationModelFactory.Create(1, o.Model, o.Data, CPU);
        model.Initialize([7], [1.0]);
        return model.Snapshot();
    }

    [Fact]
    public void Scaled_normal_draws_every_weight_with_variance_one_over_d_model_the_unembedding_over_d_vocab_and_zero_biases()
    {
        var w = Drawn("scalednormal");
        foreach (string name in new[] { "embed", "position", "blocks.0.attn.q", "blocks.0.attn.k", "blocks.0.attn.v", "blocks.0.attn.o", "blocks.0.mlp.in.weight", "blocks.0.mlp.out.weight" })
        {
            var t = w[name];
            double n = t.numel();
            double variance = t.square().mean().item<float>();
            // Standard error of a variance estimate from n Gaussian draws: sigma^2 sqrt(2/n); allow 5 of them.
            variance.Should().BeApproximately(1.0 / 128, 5 * (1.0 / 128) * Math.Sqrt(2 / n), name);
            Math.Abs((double)t.mean().item<float>()).Should().BeLessThan(5 * Math.Sqrt(1.0 / 128 / n), name);
        }

        w["unembed"].shape.Should().Equal(1, 128, 114);
        ((double)w["unembed"].square().mean().item<float>()).Should().BeApproximately(1.0 / 114, 5 * (1.0 / 114) * Math.Sqrt(2.0 / (128 * 114)));
        w["blocks.0.mlp.in.bias"].abs().max().item<float>().Should().Be(0);
        w["blocks.0.mlp.out.bias"].abs().max().item<float>().Should().Be(0);
    }

    [Fact]
    public void PyTorch_defaults_draw_linear_layers_uniformly_within_one_over_sqrt_fan_in_and_embeddings_with_unit_variance()
    {
        var w = Drawn("pytorchdefault", 97, "threetoken");
        var q = w["blocks.0.attn.q"];
        q.abs().max().item<float>().Should().BeLessThanOrEqualTo((float)(1 / Math.Sqrt(128)));
        ((double)q.square().mean().item<float>()).Should().BeApproximately(1.0 / (3 * 128), 0.05 / (3 * 128));
        var outWeight = w["blocks.0.mlp.out.weight"]; // fan_in = d_mlp
        outWeight.abs().max().item<float>().Should().BeLessThanOrEqualTo((float)(1 / Math.Sqrt(512)));
        ((double)w["embed"].square().mean().item<float>()).Should().BeApproximately(1.0, 0.05);
        w["blocks.0.mlp.in.bias"].abs().max().item<float>().Should().BeGreaterThan(0);
    }

    [Fact]
    public void OG4s_transformer_starts_inside_the_weight_norm_range_of_Omnigroks_figures()
    {
        // Omnigrok's modular-addition notebook: p = 113, [a, b, =], d_model 128, 4 heads, d_mlp 512, Nanda's init;
        // its weight-norm panels span 27..63. Expected squared norm: 114 + 3 + 4 x 128 + 512 + 512 + 128 = 1781.
        var w = Drawn("scalednormal");
        double norm = Math.Sqrt(w.Values.Sum(t => t.square().sum().item<float>()));
        norm.Should().BeInRange(27, 63);
        norm.Should().BeApproximately(Math.Sqrt(1781), 0.02 * Math.Sqrt(1781));
    }

    [Fact]
    public void Scaled_normal_is_a_transformer_initialization()
    {
        var act = () => EngineFixtures.Small("Model:Kind=mlp", "Data:Kind=teacherstudent", "Model:Init=scalednormal");
        act.Should().Throw<OptionsException>().Which.Message.Should().Contain("Init").And.Contain("pytorchdefault");
    }

    [Fact]
    public void The_equals_token_format_reads_a_b_equals_with_a_vocabulary_and_classes_of_p_plus_one()
    {
        var data = ModularArithmeticDataset.Create(ModularOperation.Add, 7, SequenceFormat.EqualsToken);
        using var inputs = data.Inputs();
        inputs.shape.Should().Equal(49, 3);
        inputs[10].data<long>().ToArray().Should().Equal(1, 3, 7);
        data.VocabularySize.Should().Be(8);
        data.Classes.Should().Be(8);
        data.C[10].Should().Be(4);
    }
}
