using Grokking.Runtime;
using Grokking.Configuration;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Grokking.Models;

/// <summary>
/// Decoder-only transformer, batched over a population. Input tokens [K, B, n]; output logits [K, B, C] read at
/// the last position. Norm = None: the Omnigrok/MC model (embeddings, causal attention without biases, ReLU MLP
/// with biases, unembedding, no normalization). Norm = LayerNorm: PB's Fig. 3 — pre-norm blocks
/// (x + Attn(LN(x)), x + MLP(LN(x))), a LayerNorm inside the MLP after its first linear layer, and a final
/// LayerNorm before the unembedding. Norm = PostLayerNorm: Power et al.'s openai/grok model (PG) — post-norm
/// blocks LN(x + Attn(x)), LN(x + MLP(x)), no final LayerNorm; with it come that model's fixed sinusoidal positions
/// (Model:Positions) and linear layers without biases (Model:WithoutBiases), each its own option.
/// <para>
/// Scale-invariant parameters (LayerNorm model): the residual-stream writers (embeddings, W_O, W_out,
/// b_out) — scaling them all scales every LayerNorm input — and the MLP's first layer, which feeds the inner
/// LayerNorm. W_Q, W_K, W_V (its product with W_O is what writes), the LayerNorm gains and the unembedding are not.
/// </para>
/// </summary>
public sealed class PopulationTransformer : PopulationModel
{
    private const double LayerNormEps = 1e-5;
    private readonly int layers;
    private readonly int dModel;
    private readonly int heads;
    private readonly bool layerNorm;
    private readonly bool postNorm;
    private readonly Activation activation;
    private readonly Parameter embed;
    private readonly Parameter? position;
    private readonly Tensor? fixedPositions;
    private readonly Parameter unembed;
    private readonly Block[] blocks;
    private readonly (Parameter Gain, Parameter Bias)? finalNorm;
    private Tensor? causalMask;

    public PopulationTransformer(
        int members, ModelOptions options, int vocabulary, int sequenceLength, int classes,
        Device? device = null, ScalarType dtype = ScalarType.Float32)
        : base("PopulationTransformer", members, device, dtype)
    {
        layers = options.Layers;
        dModel = options.DModel;
        heads = options.Heads;
        layerNorm = options.Norm == Normalization.LayerNorm;
        postNorm = options.Norm == Normalization.PostLayerNorm;
        bool biases = !options.WithoutBiases;
        activation = options.Activation;
        int d = options.DModel;
        int dMlp = options.DMlp;
        SequenceLength = sequenceLength;

        var init = new InitScheme(options.Init == Initialization.ScaledNormal, d);
        Parameter Param(string name, long[] shape, (InitKind Kind, long Fan) init, bool scaleInvariant = false) =>
            Add(name, shape, init.Kind, init.Fan, scaleInvariant);
        (Parameter, Parameter)? Norm(string name, int width, bool present) =>
            present ? (Add(name + ".gain", [width], InitKind.Ones, width), Add(name + ".bias", [width], InitKind.Zeros, width)) : null;
        Parameter? BiasParam(string name, long width, long fanIn) =>
            biases ? Param(name, [width], init.Bias(fanIn), scaleInvariant: layerNorm) : null;

        embed = Param("embed", [vocabulary, d], init.Embedding, scaleInvariant: layerNorm);
        if (options.Positions == PositionEncoding.Sinusoidal)
        {
            fixedPositions = SinusoidalPositions(sequenceLength, d, dtype, Device);
            register_buffer("position", fixedPositions, persistent: false);
        }
        else
        {
            position = Param("position", [sequenceLength, d], init.Embedding, scaleInvariant: layerNorm);
        }

        blocks = new Block[layers];
        for (int l = 0; l < layers; l++)
        {
            string b = $"blocks.{l}.";
            blocks[l] = new Block(
                Norm(b + "ln1", d, layerNorm || postNorm),
                Param(b + "attn.q", [d, d], init.Weight(d)),
                Param(b + "attn.k", [d, d], init.Weight(d)),
                Param(b + "attn.v", [d, d], init.Weight(d)),
                Param(b + "attn.o", [d, d], init.Weight(d), scaleInvariant: layerNorm),
                Norm(b + "ln2", d, layerNorm || postNorm),
                Param(b + "mlp.in.weight", [d, dMlp], init.Weight(d), scaleInvariant: layerNorm),
                BiasParam(b + "mlp.in.bias", dMlp, d),
                Norm(b + "mlp.ln", dMlp, layerNorm),
                Param(b + "mlp.out.weight", [dMlp, d], init.Weight(dMlp), scaleInvariant: layerNorm),
                BiasParam(b + "mlp.out.bias", d, dMlp));
        }

        finalNorm = Norm("ln_final", d, layerNorm);
        unembed = Param("unembed", [d, classes], init.Unembedding(classes));
    }

    public int SequenceLength { get; }

    public override string OutputWeightName => "unembed";

    public override Tensor forward(Tensor tokens)
    {
        long k = tokens.shape[0];
        long batch = tokens.shape[1];
        long n = tokens.shape[2];
        long vocab = embed.shape[1];
        var offsets = arange(k, dtype: ScalarType.Int64, device: tokens.device).TimesInPlace(vocab).view(k, 1, 1);
        var h = embed.view(k * vocab, dModel).index_select(0, tokens.Plus(offsets).view(-1)).view(k, batch, n, dModel);
        h = position is null ? h.PlusInPlace(fixedPositions!.view(1, 1, n, dModel)) : h.PlusInPlace(position.view(k, 1, n, dModel));
        for (int l = 0; l < blocks.Length; l++)
        {
            // Only the last position is read out, so the last block computes queries, the attention output and
            // the MLP for that position alone (keys and values still cover the whole sequence). Same logits,
            // about 40% fewer FLOPs for the 1-layer models.
            bool last = l == blocks.Length - 1;
            var block = blocks[l];
            var attended = Attention(block, postNorm ? h : Norm(h, block.Norm1), k, batch, n, last);
            h = last ? h.select(2, n - 1).unsqueeze(2).Plus(attended) : h.Plus(attended);
            if (postNorm)
            {
                h = Norm(h, block.Norm1);
            }

            long rows = last ? 1 : n;
            var z = Linear((postNorm ? h : Norm(h, block.Norm2)).reshape(k, batch * rows, dModel), block.MlpIn, block.MlpInBias);
            z = Activate(Norm(z, block.MlpNorm));
            h = h.Plus(Linear(z, block.MlpOut, block.MlpOutBias).view(k, batch, rows, dModel));
            if (postNorm)
            {
                h = Norm(h, block.Norm2);
            }
        }

        return Norm(h.select(2, 0), finalNorm).bmm(unembed);
    }

    /// <summary>
    /// Causal multi-head attention; with <paramref name="lastOnly"/>, the output of the last position only: [K, B, 1, d].
    /// Sequences here are 2 to 4 tokens, so scores are formed by broadcasting products over [K, B, q, k, H, dh]
    /// rather than by thousands of tiny matmuls on transposed copies.
    /// </summary>
    private Tensor Attention(Block block, Tensor x, long k, long batch, long n, bool lastOnly)
    {
        int dHead = dModel / heads;
        var flat = x.reshape(k, batch * n, dModel);
        var keys = flat.bmm(block.K).view(k, batch, 1, n, heads, dHead);
        var values = flat.bmm(block.V).view(k, batch, 1, n, heads, dHead);
        long queries = lastOnly ? 1 : n;
        var queryInput = lastOnly ? x.select(2, n - 1).reshape(k, batch, dModel) : flat;
        var q = queryInput.bmm(block.Q).view(k, batch, queries, 1, heads, dHead);
        var scores = q.mul(keys).sum([-1]).DivideInPlace(Math.Sqrt(dHead)); // [K, B, q, k, H]
        if (!lastOnly)
        {
            scores = scores.FillWhere(CausalMask(n, x.device).view(1, 1, n, n, 1), double.NegativeInfinity);
        }

        var mixed = scores.softmax(3).unsqueeze(-1).mul(values).sum([3]); // [K, B, q, H, dh]
        return mixed.reshape(k, batch * queries, dModel).bmm(block.O).view(k, batch, queries, dModel);
    }

    private Tensor CausalMask(long n, Device device)
    {
        if (causalMask is null || causalMask.shape[0] != n || causalMask.device_type != device.type)
        {
            causalMask?.Dispose();
            causalMask = ones(n, n, dtype: ScalarType.Bool, device: device).triu(1).DetachFromDisposeScope();
        }

        return causalMask;
    }

    /// <summary>The causal mask is built lazily and is not a registered buffer, so the module's own disposal misses it.</summary>
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            causalMask?.Dispose();
            causalMask = null;
        }

        base.Dispose(disposing);
    }

    private Tensor Activate(Tensor x) => activation == Activation.Tanh ? x.tanh() : x.relu_();

    // Not baddbmm: TorchSharp 0.107's Tensor.baddbmm/torch.baddbmm mis-order their arguments (shape errors).
    private static Tensor Linear(Tensor x, Tensor weight, Tensor? bias) =>
        bias is null ? x.bmm(weight) : x.bmm(weight).PlusInPlace(bias.unsqueeze(1));

    /// <summary>
    /// openai/grok's table: even coordinates i get sin(pos / 10000^(i/d)), odd ones cos(pos / 10000^((i-1)/d)). [n, d].
    /// </summary>
    public static Tensor SinusoidalPositions(int positions, int width, ScalarType dtype, Device device)
    {
        var table = new double[positions * width];
        for (int pos = 0; pos < positions; pos++)
        {
            for (int i = 0; i < width; i++)
            {
                double angle = pos / Math.Pow(10000, (i - (i % 2)) / (double)width);
                table[(pos * width) + i] = i % 2 == 0 ? Math.Sin(angle) : Math.Cos(angle);
            }
        }

        using var scope = NewDisposeScope();
        return tensor(table, [positions, width]).to(dtype, device).clone().MoveToOuterDisposeScope();
    }

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
        return normalized.mul(n.Gain.view(shape)).Plus(n.Bias.view(shape));
    }

    /// <summary>
    /// How each kind of parameter is initialized. PyTorchDefault: nn.Embedding N(0, 1), nn.Linear U(+-1/sqrt(fan_in))
    /// for weights and biases. ScaledNormal (Nanda / Omnigrok): weights N(0, 1/d_model), unembedding N(0, 1/d_vocab),
    /// biases zero.
    /// </summary>
    private readonly record struct InitScheme(bool Scaled, int DModel)
    {
        public (InitKind Kind, long Fan) Embedding => Scaled ? (InitKind.Normal, DModel) : (InitKind.Normal, 1);

        public (InitKind Kind, long Fan) Weight(long fanIn) => Scaled ? (InitKind.Normal, DModel) : (InitKind.Uniform, fanIn);

        public (InitKind Kind, long Fan) Bias(long fanIn) => Scaled ? (InitKind.Zeros, 1) : (InitKind.Uniform, fanIn);

        public (InitKind Kind, long Fan) Unembedding(int classes) => Scaled ? (InitKind.Normal, classes) : (InitKind.Uniform, DModel);
    }

    private sealed record Block(
        (Parameter Gain, Parameter Bias)? Norm1,
        Parameter Q,
        Parameter K,
        Parameter V,
        Parameter O,
        (Parameter Gain, Parameter Bias)? Norm2,
        Parameter MlpIn,
        Parameter? MlpInBias,
        (Parameter Gain, Parameter Bias)? MlpNorm,
        Parameter MlpOut,
        Parameter? MlpOutBias);
}
