using Grokking.Runtime;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Grokking.Models;

/// <summary>
/// Omnigrok's IMDb sentiment classifier batched over a population: an embedding (no padding index: token 0 is an
/// ordinary, trained row, as in their code), a stacked LSTM from zero initial states without dropout, and a linear
/// read-out of the top layer's hidden state at the last time step. Input token ids [K, B, T]; output logits [K, B, 2].
/// <para>
/// Their model ends in one logit z with sigmoid and BCE. Here the logits are [0, z]: softmax over them gives
/// p(1) = e^z / (1 + e^z) = sigmoid(z), so the harness's 2-class cross-entropy is exactly BCE on sigmoid(z), and
/// argmax is 1 exactly when z &gt; 0 (at z = 0 both pick class 0, as round(0.5) does), so accuracy is theirs too.
/// </para>
/// <para>
/// Weights are stored [in, out] (x.bmm(W)), PyTorch's gate order i, f, g, o along the 4H columns; PyTorch's
/// weight_ih_l{l} is the transpose of lstm.{l}.weight_ih here.
/// </para>
/// </summary>
public sealed class PopulationLstm : PopulationModel
{
    private readonly int hidden;
    private readonly Parameter embedding;
    private readonly Cell[] cells;
    private readonly Parameter outputWeight;
    private readonly Parameter outputBias;

    public PopulationLstm(
        int members, int vocabulary, int embedding, int hidden, int layers,
        Device? device = null, ScalarType dtype = ScalarType.Float32)
        : base("PopulationLstm", members, device, dtype)
    {
        if (vocabulary < 1 || embedding < 1 || hidden < 1 || layers < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(layers), "vocabulary, widths and layers must be positive");
        }

        this.hidden = hidden;
        this.embedding = Add("embedding.weight", [vocabulary, embedding], InitKind.Normal, 1);
        cells = new Cell[layers];
        for (int l = 0; l < layers; l++)
        {
            // PyTorch draws every LSTM parameter, input weights included, from U(+-1/sqrt(hidden)).
            long inputs = l == 0 ? embedding : hidden;
            cells[l] = new Cell(
                Add($"lstm.{l}.weight_ih", [inputs, 4L * hidden], InitKind.Uniform, hidden),
                Add($"lstm.{l}.weight_hh", [hidden, 4L * hidden], InitKind.Uniform, hidden),
                Add($"lstm.{l}.bias_ih", [4L * hidden], InitKind.Uniform, hidden),
                Add($"lstm.{l}.bias_hh", [4L * hidden], InitKind.Uniform, hidden));
        }

        outputWeight = Add("fc.weight", [hidden, 1], InitKind.Uniform, hidden);
        outputBias = Add("fc.bias", [1], InitKind.Uniform, hidden);
    }

    public override string OutputWeightName => "fc.weight";

    /// <summary>Evaluating 750 reviews in one pass would keep gigabytes of gate inputs: the rows the estimate allows (Data).</summary>
    public override long MaxEvaluationRows(Tensor inputs) =>
        Data.ResourceEstimate.RecurrentPassRows(inputs.shape[^1], hidden, DType == ScalarType.Float64 ? 8 : 4);

    public override Tensor forward(Tensor tokens)
    {
        if (tokens.dim() != 3 || tokens.shape[0] != Members || tokens.shape[2] < 1)
        {
            throw new ArgumentException($"expected token ids [{Members}, B, T >= 1], got [{string.Join(", ", tokens.shape)}]", nameof(tokens));
        }

        long batch = tokens.shape[1];
        long steps = tokens.shape[2];
        var x = Embed(tokens);
        for (int l = 0; l < cells.Length; l++)
        {
            var next = Run(x, cells[l], steps, batch, lastOnly: l == cells.Length - 1);
            // Autograd keeps what it saved of the input; the handle would only hold [K, T*B, in] until the scope ends.
            x.Dispose();
            x = next;
        }

        var z = x.bmm(outputWeight).PlusInPlace(outputBias.unsqueeze(1));
        return cat([zeros_like(z), z], 2);
    }

    /// <summary>
    /// Embeddings in time-major order, [K, T*B, E]: the rows of step t are then one contiguous block, so each step of
    /// the recurrence reads its input projection as a plain view.
    /// </summary>
    private Tensor Embed(Tensor tokens)
    {
        long k = tokens.shape[0];
        long vocab = embedding.shape[1];
        using var offsets = arange(k, dtype: ScalarType.Int64, device: tokens.device).TimesInPlace(vocab).view(k, 1, 1);
        using var rows = tokens.transpose(1, 2).Plus(offsets).reshape(-1);
        return embedding.view(k * vocab, -1).index_select(0, rows).view(k, rows.shape[0] / k, -1);
    }

    /// <summary>
    /// One LSTM layer over time-major input [K, T*B, in]: every hidden state [K, T*B, H] (time-major) for the layer
    /// above, or only the last one [K, B, H] for the read-out.
    /// </summary>
    private Tensor Run(Tensor input, Cell cell, long steps, long batch, bool lastOnly)
    {
        long k = input.shape[0];
        var inputs = Project(input, cell, steps, batch);
        var outputs = new List<Tensor>(lastOnly ? 0 : (int)steps);
        Tensor? h = null;
        Tensor? c = null;
        for (long t = 0; t < steps; t++)
        {
            var (hNext, cNext) = Step(inputs[t], h, c, cell.HiddenWeight);
            c?.Dispose();
            if (lastOnly)
            {
                h?.Dispose();
            }
            else
            {
                outputs.Add(hNext);
            }

            (h, c) = (hNext, cNext);
        }

        c!.Dispose();
        Array.ForEach(inputs, x => x.Dispose());
        if (lastOnly)
        {
            return h!;
        }

        // stack saves nothing for backward, so the per-step handles can go once it has copied them.
        var all = stack(outputs, 1).view(k, steps * batch, hidden);
        outputs.ForEach(o => o.Dispose());
        return all;
    }

    /// <summary>
    /// The input side of every step at once, biases included: T views [K, B, 4H]. One bmm over all T*B rows instead
    /// of T small ones leaves only h @ W_hh to the sequential loop. Unbound in one call because its backward stacks
    /// the T gradients once, where select per step would give each step's gradient as a zero-filled copy of the
    /// whole projection (quadratic in T). Only the views stay referenced, so disposing them frees the projection.
    /// </summary>
    private Tensor[] Project(Tensor input, Cell cell, long steps, long batch)
    {
        using var scope = NewDisposeScope();
        var biases = cell.InputBias.Plus(cell.HiddenBias).unsqueeze(1);
        var projected = input.bmm(cell.InputWeight).PlusInPlace(biases).view(input.shape[0], steps, batch, 4L * hidden);
        var perStep = TensorPieces.Unbind(projected, 1);
        scope.MoveToOuter(perStep);
        return perStep;
    }

    /// <summary>
    /// One time step from h, c = 0 when they are null (zero initial states: the first step skips h @ W_hh). Only the
    /// new h and c leave the step's scope; what autograd needs of the rest it holds itself.
    /// </summary>
    private static (Tensor H, Tensor C) Step(Tensor projected, Tensor? h, Tensor? c, Tensor hiddenWeight)
    {
        using var scope = NewDisposeScope();
        var gates = h is null ? projected : h.bmm(hiddenWeight).PlusInPlace(projected);
        // One chunk rather than four narrows: its backward concatenates the four gate gradients in one op instead of
        // zero-filling a [K, B, 4H] copy for each.
        var parts = TensorPieces.Chunk(gates, 4, 2);
        var input = parts[0].sigmoid();
        var forget = parts[1].sigmoid();
        var candidate = parts[2].tanh();
        var output = parts[3].sigmoid();
        var cNext = c is null ? input.mul(candidate) : forget.mul(c).PlusProductInPlace(input, candidate, 1.0);
        var hNext = output.mul(cNext.tanh());
        return (hNext.MoveToOuterDisposeScope(), cNext.MoveToOuterDisposeScope());
    }

    private sealed record Cell(Parameter InputWeight, Parameter HiddenWeight, Parameter InputBias, Parameter HiddenBias);
}
