using Grokking.Configuration;
using Grokking.Data;
using Grokking.Models;
using Grokking.Tests.Unit.Engine;
using Grokking.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Grokking.Tests.Unit.Reference;

/// <summary>
/// Tiny configurations and independent single-model references for the math checks: a textbook transformer and
/// MLP written per member with plain tensor ops (no population code), and per-member gradients from one-member
/// models, so a population-level bug (member mixing, a wrong norm or subset) cannot cancel out.
/// </summary>
internal static class ReferenceFixtures
{
    /// <summary>The LayerNorm epsilon of PyTorch's nn.LayerNorm, which PB's model uses.</summary>
    public const double LayerNormEps = 1e-5;

    /// <summary>A tiny transformer on p = 7 (d_model 8, 2 heads, d_mlp 16) or a tiny MLP on 4 -> 3 teacher-student data.</summary>
    public static GrokkingOptions Tiny(params string[] overrides)
    {
        string[] tiny = ["Data:Modulus=7", "Model:DModel=8", "Model:DMlp=16", "Model:Heads=2", "Model:Hidden=6,5", "Data:TeacherInputs=4", "Data:TeacherHidden=6", "Data:TeacherOutputs=3"];
        return EngineFixtures.Small([.. tiny, .. overrides]);
    }

    /// <summary>
    /// A float64 population with every parameter away from its special init values: LayerNorm gains (1) and the
    /// zero biases get noise too, so a swapped gain and bias or a dropped bias changes the output.
    /// </summary>
    public static PopulationModel Float64Model(GrokkingOptions o, long[] seeds, double[]? initScales = null)
    {
        var model = PopulationModelFactory.Create(seeds.Length, o.Model, o.Data, CPU, ScalarType.Float64);
        model.Initialize(seeds, initScales ?? [.. seeds.Select(_ => 1.0)]);
        var g = new Generator(4242);
        using var noGrad = no_grad();
        foreach (var p in model.Parameters.Where(p => p.Init is InitKind.Ones or InitKind.Zeros))
        {
            using var noise = randn(p.Value.shape, ScalarType.Float64, generator: g).mul_(0.3);
            p.Value.add_(noise);
        }

        return model;
    }

    /// <summary>A random batch [K, B, ...] of model inputs and labels of the right kind for the options.</summary>
    public static (Tensor X, Tensor Y, TaskKind Task) Batch(GrokkingOptions o, int members, int batch, long seed)
    {
        var g = new Generator((ulong)seed);
        var (inputShape, vocabulary, outputs) = PopulationDataFactory.Shape(o.Data);
        if (o.Data.Kind == DatasetKind.Modular)
        {
            return (randint(0, vocabulary, [members, batch, inputShape[0]], dtype: ScalarType.Int64, generator: g),
                randint(0, outputs, [members, batch], dtype: ScalarType.Int64, generator: g),
                TaskKind.Classification);
        }

        return (randn([members, batch, .. inputShape], ScalarType.Float64, generator: g),
            randn([members, batch, outputs], ScalarType.Float64, generator: g),
            TaskKind.Regression);
    }

    /// <summary>Mean data loss per member: [K].</summary>
    public static Tensor MemberLosses(PopulationModel model, Tensor x, Tensor y, TaskKind task) =>
        LossFunctions.PerExample(model.forward(x), y, task).mean([1]);

    /// <summary>Member k's parameters by name, as views (no copies) of the population's.</summary>
    public static Func<string, Tensor> Member(PopulationModel model, int k) =>
        name => model.Parameters.Single(p => p.Name == name).Value[k];

    /// <summary>Member k of a population state (name -> [K, ...]) as a one-member state (name -> [1, ...]).</summary>
    public static Dictionary<string, Tensor> MemberState(IReadOnlyDictionary<string, Tensor> state, int k) =>
        state.ToDictionary(s => s.Key, s => s.Value.narrow(0, k, 1));

    /// <summary>Sum of squares in float64, whatever the tensor's type.</summary>
    public static double SumSquares(Tensor t) => t.detach().to(ScalarType.Float64).square().sum().item<double>();

    public static double SumSquares(IEnumerable<Tensor> tensors) => tensors.Sum(SumSquares);

    /// <summary>
    /// Names of the scale-invariant parameters of the LayerNorm transformer, written from the architecture and
    /// not read from the model's flags: everything that writes into the residual stream (embeddings, W_O, the MLP
    /// output layer) and the MLP's first layer, which feeds the inner LayerNorm.
    /// </summary>
    public static bool IsScaleInvariantInLayerNormTransformer(string name) =>
        name is "embed" or "position" || name.EndsWith(".attn.o", StringComparison.Ordinal) || name.Contains(".mlp.in.", StringComparison.Ordinal) || name.Contains(".mlp.out.", StringComparison.Ordinal);

    /// <summary>
    /// One member's mean data loss on one batch and its gradient, from a fresh one-member float64 model holding
    /// that member's weights: no batching over members, norms summed here.
    /// </summary>
    public static (double Loss, Dictionary<string, double> GradSquares) MemberLossAndGradient(GrokkingOptions o, IReadOnlyDictionary<string, Tensor> memberState, Tensor x, Tensor y, TaskKind task)
    {
        using var scope = NewDisposeScope();
        using var single = PopulationModelFactory.Create(1, o.Model, o.Data, CPU, ScalarType.Float64);
        single.Load(memberState);
        var input = x.is_floating_point() ? x.to(ScalarType.Float64) : x;
        var labels = y.is_floating_point() ? y.to(ScalarType.Float64) : y;
        var loss = LossFunctions.PerExample(single.forward(input.unsqueeze(0)), labels.unsqueeze(0), task).mean();
        loss.backward();
        return (loss.item<double>(), single.Parameters.ToDictionary(p => p.Name, p => SumSquares(p.Value.grad!)));
    }

    /// <summary>Norm of one member's mean-loss gradient on one batch (see <see cref="MemberLossAndGradient"/>).</summary>
    public static double MemberGradientNorm(GrokkingOptions o, IReadOnlyDictionary<string, Tensor> memberState, Tensor x, Tensor y, TaskKind task, Func<string, bool>? select = null) =>
        Math.Sqrt(MemberLossAndGradient(o, memberState, x, y, task).GradSquares.Where(g => select?.Invoke(g.Key) ?? true).Sum(g => g.Value));

    /// <summary>
    /// Trains a population for <paramref name="steps"/> steps with a checkpoint after every one and reads the
    /// weights back: Weights[s] is theta_s, the weights after step s (Weights[0] drawn as the trainer draws them).
    /// </summary>
    public static TrainedPopulation Train(int steps, params string[] overrides)
    {
        var o = Tiny([$"Train:Steps={steps}", "Train:MetricsEvery=1", "Train:CheckpointEvery=1", .. overrides]);
        var members = PopulationSetup.Members(o);
        string dir = EngineFixtures.TempDirectory();
        try
        {
            var result = new PopulationTrainer(o, members, CPU).Run(dir);
            var run = new RunDirectory(dir);
            using var initial = PopulationModelFactory.Create(members.Count, o.Model, o.Data, CPU);
            initial.Initialize([.. members.Select(m => m.Seed)], [.. members.Select(m => m.InitScale)]);
            var weights = new List<Dictionary<string, Tensor>> { initial.Snapshot() };
            for (int s = 1; s <= steps; s++)
            {
                File.Exists(run.WeightsAt(s)).Should().BeTrue($"the trainer checkpoints every step here (step {s})");
                weights.Add(TensorFile.Load(run.WeightsAt(s), CPU));
            }

            return new TrainedPopulation(o, members, result, weights);
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    /// <summary>
    /// Textbook decoder-only transformer for one member on tokens [B, n]: every position computed, causal mask,
    /// logits read at the last position. With LayerNorm: x + Attn(LN1(x)), x + W_out act(LN(W_in LN2(x) + b_in)) + b_out,
    /// and a final LayerNorm before the unembedding.
    /// </summary>
    public static Tensor TransformerReference(Func<string, Tensor> p, Tensor tokens, ModelOptions options)
    {
        bool ln = options.Norm == Normalization.LayerNorm;
        long batch = tokens.shape[0];
        long n = tokens.shape[1];
        var x = p("embed").index_select(0, tokens.reshape(-1)).reshape(batch, n, -1) + p("position");
        for (int l = 0; l < options.Layers; l++)
        {
            string b = $"blocks.{l}.";
            var attentionInput = ln ? LayerNorm(x, p(b + "ln1.gain"), p(b + "ln1.bias")) : x;
            x = x + Attention(attentionInput, p(b + "attn.q"), p(b + "attn.k"), p(b + "attn.v"), p(b + "attn.o"), options.Heads);
            var mlpInput = ln ? LayerNorm(x, p(b + "ln2.gain"), p(b + "ln2.bias")) : x;
            var hidden = mlpInput.matmul(p(b + "mlp.in.weight")) + p(b + "mlp.in.bias");
            if (ln)
            {
                hidden = LayerNorm(hidden, p(b + "mlp.ln.gain"), p(b + "mlp.ln.bias"));
            }

            x = x + Activate(hidden, options.Activation).matmul(p(b + "mlp.out.weight")) + p(b + "mlp.out.bias");
        }

        var last = x.select(1, n - 1);
        if (ln)
        {
            last = LayerNorm(last, p("ln_final.gain"), p("ln_final.bias"));
        }

        return last.matmul(p("unembed"));
    }

    /// <summary>Textbook MLP for one member on inputs [B, in]: affine layers with the activation between them.</summary>
    public static Tensor MlpReference(Func<string, Tensor> p, Tensor x, ModelOptions options)
    {
        int layers = options.Hidden.Length + 1;
        var h = x;
        for (int i = 0; i < layers; i++)
        {
            h = h.matmul(p($"layers.{i}.weight")) + p($"layers.{i}.bias");
            if (i + 1 < layers)
            {
                h = Activate(h, options.Activation);
            }
        }

        return h;
    }

    /// <summary>(x - mean) / sqrt(biased variance + eps) * gain + bias over the last dimension, as nn.LayerNorm.</summary>
    private static Tensor LayerNorm(Tensor x, Tensor gain, Tensor bias)
    {
        var centered = x - x.mean([-1], keepdim: true);
        var variance = centered.square().mean([-1], keepdim: true);
        return (centered / (variance + LayerNormEps).sqrt() * gain) + bias;
    }

    /// <summary>Causal multi-head attention on [B, n, d], one head at a time: softmax(q k^T / sqrt(d_head)) v, heads concatenated, then W_O.</summary>
    private static Tensor Attention(Tensor x, Tensor wq, Tensor wk, Tensor wv, Tensor wo, int heads)
    {
        long n = x.shape[1];
        long dHead = x.shape[2] / heads;
        var future = ones(n, n, dtype: ScalarType.Bool).triu(1);
        var outputs = new List<Tensor>();
        for (int h = 0; h < heads; h++)
        {
            var cols = arange(h * dHead, (h + 1) * dHead, dtype: ScalarType.Int64);
            var q = x.matmul(wq.index_select(1, cols));
            var k = x.matmul(wk.index_select(1, cols));
            var v = x.matmul(wv.index_select(1, cols));
            var scores = q.matmul(k.transpose(1, 2)) / Math.Sqrt(dHead);
            outputs.Add(scores.masked_fill(future, double.NegativeInfinity).softmax(-1).matmul(v));
        }

        return cat(outputs, 2).matmul(wo);
    }

    private static Tensor Activate(Tensor x, Activation activation) => activation == Activation.Tanh ? x.tanh() : x.relu();
}

/// <summary>A finished run and its weights after every step (index 0: the initialization).</summary>
internal sealed record TrainedPopulation(GrokkingOptions Options, IReadOnlyList<MemberSpec> Members, TrainingResult Result, IReadOnlyList<Dictionary<string, Tensor>> Weights) : IDisposable
{
    public MetricRow Row(long step, int member) => Result.Metrics.Single(r => r.Step == step && r.Member == member);

    public void Dispose()
    {
        foreach (var t in Weights.SelectMany(w => w.Values))
        {
            t.Dispose();
        }
    }
}
