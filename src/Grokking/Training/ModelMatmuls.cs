using Grokking.Configuration;

namespace Grokking.Training;

/// <summary>One batched matmul of a training step: [K, Rows, Inner] x [K, Inner, Cols].</summary>
public readonly record struct MatmulShape(long Rows, long Inner, long Cols)
{
    public double Flops => 2.0 * Rows * Inner * Cols;
}

/// <summary>
/// The matmuls one member's training step runs on a batch, by shape: the forward's, and for each of them the backward's
/// two (the input's gradient dY W^T and the weight's X^T dY, same FLOPs each). Timing exactly these with bmm gives the
/// roofline the bench compares training with: what the step would run at if it were nothing but its matmuls.
/// </summary>
public static class ModelMatmuls
{
    /// <summary>Forward matmuls of one member on <paramref name="batch"/> rows (the transformer as PopulationTransformer runs it).</summary>
    public static IReadOnlyList<MatmulShape> Forward(GrokkingOptions o, long batch)
    {
        var (shape, _, outputs) = Data.PopulationDataFactory.Shape(o.Data);
        return o.Model.Kind switch
        {
            ModelKind.Mlp => MlpForward(shape.Aggregate(1L, (x, y) => x * y), o.Model.Hidden, outputs, batch),
            ModelKind.Transformer => TransformerForward(o.Model, shape[0], outputs, batch),
            ModelKind.Lstm => LstmForward(o.Model, shape[0], batch),
            ModelKind.Gcnn => GcnnForward(o.Model, shape[0], batch),
            ModelKind.ToyAddition => MlpForward(o.Model.Embedding, o.Model.Hidden, outputs, batch), // the decoder; the sum E_i + E_j is no matmul
            _ => throw new ArgumentOutOfRangeException(nameof(o), o.Model.Kind, $"Model:Kind = {o.Model.Kind} has no matmul shapes in the bench"),
        };
    }

    /// <summary>The forward's matmuls and the backward's two per forward matmul.</summary>
    public static IReadOnlyList<MatmulShape> TrainingStep(GrokkingOptions o, long batch) =>
        Forward(o, batch).SelectMany(f => new[] { f, new MatmulShape(f.Rows, f.Cols, f.Inner), new MatmulShape(f.Inner, f.Rows, f.Cols) }).ToList();

    /// <summary>
    /// One member's matmul FLOPs per average step at the options' cadences: the training step on a minibatch of
    /// <paramref name="batchRows"/>, and every Train:MetricsEvery steps the evaluation's forward over both splits and, with
    /// the stochastic gradient norm on, a forward and backward over the training set (its minibatches hold its rows once).
    /// </summary>
    public static double MemberStepFlops(GrokkingOptions o, long batchRows, long trainRows, long valRows)
    {
        static double Sum(IEnumerable<MatmulShape> shapes) => shapes.Sum(s => s.Flops);
        double metric = Sum(Forward(o, trainRows + valRows)) + (o.Train.StochasticGradientNorm ? Sum(TrainingStep(o, trainRows)) : 0);
        return Sum(TrainingStep(o, batchRows)) + (o.Train.MetricsEvery > 0 ? metric / o.Train.MetricsEvery : 0);
    }

    private static List<MatmulShape> MlpForward(long inputs, int[] hidden, int outputs, long batch)
    {
        long[] widths = [inputs, .. hidden.Select(h => (long)h), outputs];
        return widths.Zip(widths.Skip(1), (x, y) => new MatmulShape(batch, x, y)).ToList();
    }

    /// <summary>
    /// Every layer forms keys and values at all n positions; earlier layers also queries, the attention output and the
    /// MLP at all n, the last one at the read-out position only. The attention scores are broadcast products, not matmuls.
    /// </summary>
    private static List<MatmulShape> TransformerForward(ModelOptions m, long n, int outputs, long batch)
    {
        var shapes = new List<MatmulShape>();
        for (int layer = 0; layer < m.Layers; layer++)
        {
            long rows = layer == m.Layers - 1 ? batch : batch * n;
            shapes.Add(new MatmulShape(batch * n, m.DModel, m.DModel)); // keys
            shapes.Add(new MatmulShape(batch * n, m.DModel, m.DModel)); // values
            shapes.Add(new MatmulShape(rows, m.DModel, m.DModel)); // queries
            shapes.Add(new MatmulShape(rows, m.DModel, m.DModel)); // attention output
            shapes.Add(new MatmulShape(rows, m.DModel, m.DMlp));
            shapes.Add(new MatmulShape(rows, m.DMlp, m.DModel));
        }

        shapes.Add(new MatmulShape(batch, m.DModel, outputs));
        return shapes;
    }

    /// <summary>
    /// Per layer the input projection of all n steps at once and the n recurrent products (counted as one shape of the
    /// same FLOPs), then the read-out of the last step (one logit: the other is a constant zero).
    /// </summary>
    private static List<MatmulShape> LstmForward(ModelOptions m, long n, long batch)
    {
        var shapes = new List<MatmulShape>();
        for (int layer = 0; layer < m.Layers; layer++)
        {
            shapes.Add(new MatmulShape(batch * n, layer == 0 ? m.Embedding : m.DModel, 4L * m.DModel));
            shapes.Add(new MatmulShape(batch * n, m.DModel, 4L * m.DModel));
        }

        shapes.Add(new MatmulShape(batch, m.DModel, 1));
        return shapes;
    }

    /// <summary>
    /// Per convolution: the edge network on the four bond types, the per-type neighbour sums (adjacency x states), their
    /// transform by the type's weights and the root weight; then the head on the pooled states.
    /// </summary>
    private static List<MatmulShape> GcnnForward(ModelOptions m, long atoms, long batch)
    {
        const long types = Data.MoleculeGraphs.BondTypes;
        var shapes = new List<MatmulShape>();
        long[] widths = [Data.Qm9Molecules.FeatureCount, .. m.Hidden.Select(h => (long)h)];
        foreach (var (input, output) in widths.Zip(widths.Skip(1)))
        {
            shapes.Add(new MatmulShape(types, types, m.DMlp));
            shapes.Add(new MatmulShape(types, m.DMlp, input * output));
            shapes.Add(new MatmulShape(batch * types * atoms, atoms, input));
            shapes.Add(new MatmulShape(batch * atoms, types * input, output));
            shapes.Add(new MatmulShape(batch * atoms, input, output));
        }

        shapes.Add(new MatmulShape(batch, widths[^1], m.DMlp));
        shapes.Add(new MatmulShape(batch, m.DMlp, 1));
        return shapes;
    }
}
