using Grokking.Configuration;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Grokking.Models;

/// <summary>
/// Decoder-only transformer, batched over a population. Input tokens [K, B, n]; output logits [K, B, C] read at
/// the last position. Norm = None: the Omnigrok/MC model (embeddings, causal attention without biases, ReLU MLP
/// with biases, unembedding, no normalization). Norm = LayerNorm: PB's Fig. 3 — pre-norm blocks
/// (x + Attn(LN(x)), x + MLP(LN(x))), a LayerNorm inside the MLP after its first linear layer, and a final
/// LayerNorm before the unembedding.
/// <para>
/// Scale-invariant parameters (LayerNorm model): the residual-stream writers (embeddings, W_V, W_O, W_out,
/// b_out) — scaling them all scales every LayerNorm input — and the MLP's first layer, which feeds the inner
/// LayerNorm. W_Q, W_K, the LayerNorm gains and the unembedding are not.
/// </para>
/// </summary>
public sealed class PopulationTransformer : PopulationModel
{
    private const double LayerNormEps = 1e-5;
    private readonly int layers;
    private readonly int dModel;
    private readonly int heads;
    private readonly bool layerNorm;
    private readonly Activation activation;
    private readonly Parameter embed;
    private readonly Parameter position;
    private readonly Parameter unembed;
    private readonly Block[] blocks;
    private readonly (Parameter Gain, Parameter Bias)? finalNorm;
    private Tensor? causalMask;

    public PopulationTransformer(int members, ModelOptions options, int vocabulary, int sequenceLength, int classes)
        : base("PopulationTransformer", members)
    {
        layers = options.Layers;
        dModel = options.DModel;
        heads = options.Heads;
        layerNorm = options.Norm == Normalization.LayerNorm;
        activation = options.Activation;
        int d = options.DModel;
        int dMlp = options.DMlp;
        SequenceLength = sequenceLength;

        embed = Add("embed", [vocabulary, d], InitKind.EmbeddingNormal, d, scaleInvariant: layerNorm);
        position = Add("position", [sequenceLength, d], InitKind.EmbeddingNormal, d, scaleInvariant: layerNorm);
        blocks = new Block[layers];
        for (int l = 0; l < layers; l++)
        {
            string b = $"blocks.{l}.";
            blocks[l] = new Block(
                layerNorm ? (Add(b + "ln1.gain", [d], InitKind.Ones, d), Add(b + "ln1.bias", [d], InitKind.Zeros, d)) : null,
                Add(b + "attn.q", [d, d], InitKind.LinearDefault, d),
                Add(b + "attn.k", [d, d], InitKind.LinearDefault, d),
                Add(b + "attn.v", [d, d], InitKind.LinearDefault, d, scaleInvariant: layerNorm),
                Add(b + "attn.o", [d, d], InitKind.LinearDefault, d, scaleInvariant: layerNorm),
                layerNorm ? (Add(b + "ln2.gain", [d], InitKind.Ones, d), Add(b + "ln2.bias", [d], InitKind.Zeros, d)) : null,
                Add(b + "mlp.in.weight", [d, dMlp], InitKind.LinearDefault, d, scaleInvariant: layerNorm),
                Add(b + "mlp.in.bias", [dMlp], InitKind.LinearDefault, d, scaleInvariant: layerNorm),
                layerNorm ? (Add(b + "mlp.ln.gain", [dMlp], InitKind.Ones, dMlp), Add(b + "mlp.ln.bias", [dMlp], InitKind.Zeros, dMlp)) : null,
                Add(b + "mlp.out.weight", [dMlp, d], InitKind.LinearDefault, dMlp, scaleInvariant: layerNorm),
                Add(b + "mlp.out.bias", [d], InitKind.LinearDefault, dMlp, scaleInvariant: layerNorm));
        }

        finalNorm = layerNorm ? (Add("ln_final.gain", [d], InitKind.Ones, d), Add("ln_final.bias", [d], InitKind.Zeros, d)) : null;
        unembed = Add("unembed", [d, classes], InitKind.LinearDefault, d);
    }

    public int SequenceLength { get; }

    public override Tensor forward(Tensor tokens)
    {
        long k = tokens.shape[0];
        long batch = tokens.shape[1];
        long n = tokens.shape[2];
        long vocab = embed.shape[1];
        var offsets = arange(k, dtype: ScalarType.Int64, device: tokens.device).mul_(vocab).view(k, 1, 1);
        var h = embed.view(k * vocab, dModel).index_select(0, tokens.add(offsets).view(-1)).view(k, batch, n, dModel);
        h = h.add(position.view(k, 1, n, dModel));
        foreach (var block in blocks)
        {
            h = h.add(Attention(block, Norm(h, block.Norm1), k, batch, n));
            var z = Linear(Norm(h, block.Norm2).view(k, batch * n, dModel), block.MlpIn, block.MlpInBias);
            z = Activate(Norm(z, block.MlpNorm));
            h = h.add(Linear(z, block.MlpOut, block.MlpOutBias).view(k, batch, n, dModel));
        }

        var last = h.select(2, n - 1);
        return Norm(last, finalNorm).bmm(unembed);
    }

    private Tensor Attention(Block block, Tensor x, long k, long batch, long n)
    {
        int dHead = dModel / heads;
        var flat = x.reshape(k, batch * n, dModel);
        Tensor Heads(Tensor w) => flat.bmm(w).view(k, batch, n, heads, dHead).transpose(2, 3);
        var q = Heads(block.Q);
        var kk = Heads(block.K);
        var v = Heads(block.V);
        var scores = q.matmul(kk.transpose(-1, -2)).div_(Math.Sqrt(dHead));
        scores = scores.masked_fill(CausalMask(n, x.device), double.NegativeInfinity);
        var mixed = scores.softmax(-1).matmul(v).transpose(2, 3).reshape(k, batch * n, dModel);
        return mixed.bmm(block.O).view(k, batch, n, dModel);
    }

    private Tensor CausalMask(long n, Device device)
    {
        if (causalMask is null || causalMask.shape[0] != n || causalMask.device != device)
        {
            causalMask?.Dispose();
            causalMask = ones(n, n, dtype: ScalarType.Bool, device: device).triu(1).DetachFromDisposeScope();
        }

        return causalMask;
    }

    private Tensor Activate(Tensor x) => activation == Activation.Tanh ? x.tanh() : x.relu();

    private static Tensor Linear(Tensor x, Tensor weight, Tensor bias) => x.bmm(weight).add(bias.unsqueeze(1));

    /// <summary>LayerNorm over the last dimension with per-member gain and bias; identity when the model has none.</summary>
    private static Tensor Norm(Tensor x, (Parameter Gain, Parameter Bias)? norm)
    {
        if (norm is not { } n)
        {
            return x;
        }

        long members = x.shape[0];
        long width = x.shape[^1];
        var shape = new long[x.dim()];
        Array.Fill(shape, 1L);
        shape[0] = members;
        shape[^1] = width;
        var normalized = nn.functional.layer_norm(x, [width], eps: LayerNormEps);
        return normalized.mul(n.Gain.view(shape)).add(n.Bias.view(shape));
    }

    private sealed record Block(
        (Parameter Gain, Parameter Bias)? Norm1,
        Parameter Q,
        Parameter K,
        Parameter V,
        Parameter O,
        (Parameter Gain, Parameter Bias)? Norm2,
        Parameter MlpIn,
        Parameter MlpInBias,
        (Parameter Gain, Parameter Bias)? MlpNorm,
        Parameter MlpOut,
        Parameter MlpOutBias);
}
