using Grokking.Configuration;
using Grokking.Runtime;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Grokking.Models;

/// <summary>
/// Toy addition's model batched over a population (Omnigrok section 5.1 after Liu et al. 2022; its notebook
/// mod-addition/landscape/addition-landscape.ipynb): each digit i &lt; p has a learned representation E_i of Model:Embedding
/// entries, and a decoder MLP (widths Embedding, Model:Hidden..., the template width; Model:Activation between layers)
/// maps E_i + E_j to a prediction of the template Y_(i+j mod p). Input [K, B, 2] digit pairs (int64) -> output [K, B, D].
/// <para>
/// The decoder is initialized as PyTorch's nn.Linear (U(-1/sqrt(fan_in), 1/sqrt(fan_in)) for weights and biases) times the
/// member's init scale (the notebook's nn_init_scale, the landscape's w). The representation is the notebook's
/// interpolation R = m R_random + (1 - m) R_line at the member's messiness m, never scaled by w: R_random uniform in
/// (-s, s)^Embedding (s = Model:RepresentationSpread, the notebook's 1 by default; Liu et al.'s toy code: 0.5), R_line's
/// first column linspace(-1, 1) over the p digits and its other columns 0.3 U(-1, 1) (the notebook's noise_scale), drawn
/// from the member's seed in the notebook's order (the line's jitter, then the random one).
/// </para>
/// </summary>
public sealed class PopulationToyAddition : PopulationModel
{
    /// <summary>The spread of R_line's other columns (the notebook's noise_scale x init_scale).</summary>
    public const double LineJitter = 0.3;

    /// <summary>The messiness of a member for which none is given: 1, the random representation a trained run starts from.</summary>
    public const double RandomMessiness = 1.0;

    private readonly Parameter representation;
    private readonly List<(Parameter Weight, Parameter Bias)> layers = [];
    private readonly Activation activation;
    private readonly int digits;
    private readonly int width;
    private readonly double spread;

    public PopulationToyAddition(
        int members, ModelOptions options, int digits, int outputs, Device? device = null, ScalarType dtype = ScalarType.Float32)
        : base("PopulationToyAddition", members, device, dtype)
    {
        activation = options.Activation;
        this.digits = digits;
        width = options.Embedding;
        spread = options.RepresentationSpread > 0 ? options.RepresentationSpread : 1.0;
        int[] widths = [width, .. options.Hidden, outputs];
        for (int i = 0; i + 1 < widths.Length; i++)
        {
            layers.Add((
                Add($"decoder.{i}.weight", [widths[i], widths[i + 1]], InitKind.Uniform, widths[i]),
                Add($"decoder.{i}.bias", [widths[i + 1]], InitKind.Uniform, widths[i])));
        }

        representation = Add("representation", [digits, width], InitKind.Zeros, 1, representation: true);
    }

    public override string OutputWeightName => $"decoder.{layers.Count - 1}.weight";

    public override Tensor forward(Tensor x)
    {
        long k = x.shape[0], b = x.shape[1];
        var offsets = arange(k, dtype: ScalarType.Int64, device: x.device).Times(digits).view(k, 1, 1);
        var rows = representation.reshape(k * digits, width).index_select(0, x.Plus(offsets).reshape(-1));
        var h = rows.reshape(k, b, 2, width).sum(2);
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

    /// <summary>Member k's representation at messiness m_k (null: <see cref="RandomMessiness"/> for every member).</summary>
    protected override void InitializeRepresentation(IReadOnlyList<long> seeds, IReadOnlyList<double>? messiness)
    {
        using var noGrad = no_grad();
        for (int k = 0; k < Members; k++)
        {
            using var scope = NewDisposeScope();
            double m = messiness?[k] ?? RandomMessiness;
            representation[k].copy_(Representation(seeds[k], m, digits, width, spread));
        }
    }

    /// <summary>The notebook's R = m R_random + (1 - m) R_line of one seed, [digits, width] in float32 on the CPU.</summary>
    /// <param name="spread">The half-width of R_random's uniform draw.</param>
    public static Tensor Representation(long seed, double messiness, int digits, int width, double spread = 1.0)
    {
        using var g = SeedStreams.Generator(seed, SeedStreams.Representation);
        var line = rand([digits, width], generator: g).mul_(2).sub_(1).mul_(LineJitter);
        line.select(1, 0).copy_(linspace(-1, 1, digits));
        var random = rand([digits, width], generator: g).mul_(2).sub_(1).mul_(spread);
        return random.mul_(messiness).PlusInPlace(line.mul_(1 - messiness));
    }
}
