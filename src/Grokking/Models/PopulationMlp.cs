using Grokking.Runtime;
using Grokking.Configuration;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Grokking.Models;

/// <summary>
/// A fully connected network batched over a population: input [K, B, in] -> output [K, B, out]. No normalization
/// layers: configuration validation refuses Model:Norm other than none for Kind = mlp (see <see cref="ModelOptions"/>).
/// </summary>
public sealed class PopulationMlp : PopulationModel
{
    private readonly List<(Parameter Weight, Parameter Bias)> layers = [];
    private readonly Activation activation;

    public PopulationMlp(int members, ModelOptions options, int inputs, int outputs, Device? device = null, ScalarType dtype = ScalarType.Float32)
        : base("PopulationMlp", members, device, dtype)
    {
        activation = options.Activation;
        int[] widths = [inputs, .. options.Hidden, outputs];
        for (int i = 0; i + 1 < widths.Length; i++)
        {
            layers.Add((
                Add($"layers.{i}.weight", [widths[i], widths[i + 1]], InitKind.Uniform, widths[i]),
                Add($"layers.{i}.bias", [widths[i + 1]], InitKind.Uniform, widths[i])));
        }
    }

    public override string OutputWeightName => $"layers.{layers.Count - 1}.weight";

    public override Tensor forward(Tensor x)
    {
        var h = x.reshape(x.shape[0], x.shape[1], -1);
        for (int i = 0; i < layers.Count; i++)
        {
            h = h.bmm(layers[i].Weight).Plus(layers[i].Bias.unsqueeze(1));
            if (i + 1 < layers.Count)
            {
                h = Activations.Apply(h, activation);
            }
        }

        return h;
    }
}
