using Grokking.Runtime;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Grokking.Models;

/// <summary>
/// Omnigrok's QM9 graph network, batched over a population: edge-conditioned convolutions (PyTorch Geometric's NNConv,
/// aggr = add, root weight and bias) each followed by ReLU, global add pooling over atoms, a ReLU hidden layer and one
/// linear output. Input: molecules in the form of <see cref="Data.MoleculeGraphs"/> [K, B, A, F + 1 + E·A]; output [K, B, 1].
/// <para>
/// Layer l: h'_i = h_i·Root + Σ_t Σ_j adj_t[i, j] h_j·Θ_t + bias, where Θ_t = reshape(edge net(onehot_t), [in, out]) and
/// the edge net is Linear(E, hidden), ReLU, Linear(hidden, in·out). Bond attributes are one-hot, so the edge net takes
/// only E distinct values per layer: it is evaluated once per type, not once per bond.
/// </para>
/// <para>
/// Initialization as PyTorch's and PyG's: nn.Linear weights and biases U(±1/sqrt(fan_in)); the root weight
/// U(±1/sqrt(in)) (PyG's Linear with weight_initializer 'uniform'); the NNConv bias zero.
/// </para>
/// </summary>
public sealed class PopulationGcnn : PopulationModel
{
    private readonly int nodeFeatures;
    private readonly int edgeTypes;
    private readonly Conv[] convs;
    private readonly Parameter headWeight;
    private readonly Parameter headBias;
    private readonly Parameter outWeight;
    private readonly Parameter outBias;

    /// <param name="convWidths">Output width of each convolution (Omnigrok: [32, 16]).</param>
    /// <param name="edgeHidden">Hidden width of every layer's edge net (Omnigrok: 32).</param>
    /// <param name="headHidden">Width of the hidden layer after pooling (Omnigrok: 32).</param>
    public PopulationGcnn(
        int members, int nodeFeatures, int edgeTypes, int[] convWidths, int edgeHidden, int headHidden,
        Device? device = null, ScalarType dtype = ScalarType.Float32)
        : base("PopulationGcnn", members, device, dtype)
    {
        ArgumentNullException.ThrowIfNull(convWidths);
        if (nodeFeatures < 1 || edgeTypes < 1 || edgeHidden < 1 || headHidden < 1 || convWidths.Length == 0 || convWidths.Any(w => w < 1))
        {
            throw new ArgumentException("a GCNN needs positive widths and at least one convolution");
        }

        this.nodeFeatures = nodeFeatures;
        this.edgeTypes = edgeTypes;
        convs = new Conv[convWidths.Length];
        int width = nodeFeatures;
        for (int l = 0; l < convWidths.Length; l++)
        {
            int output = convWidths[l];
            string c = $"conv.{l}.";
            convs[l] = new Conv(
                width,
                output,
                Add(c + "edge1.weight", [edgeTypes, edgeHidden], InitKind.Uniform, edgeTypes),
                Add(c + "edge1.bias", [edgeHidden], InitKind.Uniform, edgeTypes),
                Add(c + "edge2.weight", [edgeHidden, width * output], InitKind.Uniform, edgeHidden),
                Add(c + "edge2.bias", [width * output], InitKind.Uniform, edgeHidden),
                Add(c + "root", [width, output], InitKind.Uniform, width),
                Add(c + "bias", [output], InitKind.Zeros, width));
            width = output;
        }

        headWeight = Add("head.weight", [width, headHidden], InitKind.Uniform, width);
        headBias = Add("head.bias", [headHidden], InitKind.Uniform, width);
        outWeight = Add("out.weight", [headHidden, 1], InitKind.Uniform, headHidden);
        outBias = Add("out.bias", [1], InitKind.Uniform, headHidden);
    }

    public override string OutputWeightName => "out.weight";

    public override Tensor forward(Tensor molecules)
    {
        if (molecules.dim() != 4 || molecules.shape[0] != Members
            || molecules.shape[3] != nodeFeatures + 1 + (edgeTypes * molecules.shape[2]))
        {
            throw new ArgumentException(
                $"expected molecules [{Members}, B, A, {nodeFeatures} + 1 + {edgeTypes}·A], got [{string.Join(", ", molecules.shape)}]");
        }

        long k = molecules.shape[0];
        long batch = molecules.shape[1];
        long atoms = molecules.shape[2];
        var h = molecules.narrow(3, 0, nodeFeatures).reshape(k, batch * atoms, nodeFeatures);
        var mask = molecules.narrow(3, nodeFeatures, 1).reshape(k, batch * atoms, 1);
        // Row i's E·A bond columns, seen as E rows of A: one matmul with the node states sums, for every atom and bond
        // type, the states of that atom's neighbours of that type, [K, B, A·E, in] = [K, B·A, E·in] in memory.
        var bonds = molecules.narrow(3, nodeFeatures + 1, edgeTypes * atoms).reshape(k, batch, atoms * edgeTypes, atoms);
        foreach (var conv in convs)
        {
            var neighbours = bonds.matmul(h.view(k, batch, atoms, conv.In)).view(k, batch * atoms, edgeTypes * conv.In);
            var messages = neighbours.bmm(EdgeWeights(conv).view(k, edgeTypes * conv.In, conv.Out));
            var updated = h.bmm(conv.Root).PlusInPlace(messages).PlusInPlace(conv.Bias.unsqueeze(1)).relu_();
            // A padded slot has no bonds, yet relu(bias) makes its state nonzero: zero it so pooling sums real atoms only
            // (out of place: relu_'s backward reads its output).
            h = updated.mul(mask);
        }

        var pooled = h.view(k, batch, atoms, -1).sum([2]);
        var hidden = pooled.bmm(headWeight).PlusInPlace(headBias.unsqueeze(1)).relu_();
        return hidden.bmm(outWeight).PlusInPlace(outBias.unsqueeze(1));
    }

    /// <summary>
    /// Θ_t for every bond type t, [K, E, in·out] (row-major [in, out] per type, as NNConv's view(-1, in, out)): the edge
    /// net on onehot_t, whose first layer reduces to row t of its weight plus its bias.
    /// </summary>
    private static Tensor EdgeWeights(Conv conv)
    {
        var hidden = conv.Edge1Weight.Plus(conv.Edge1Bias.unsqueeze(1)).relu_();
        return hidden.bmm(conv.Edge2Weight).PlusInPlace(conv.Edge2Bias.unsqueeze(1));
    }

    private sealed record Conv(
        int In,
        int Out,
        Parameter Edge1Weight,
        Parameter Edge1Bias,
        Parameter Edge2Weight,
        Parameter Edge2Bias,
        Parameter Root,
        Parameter Bias);
}
