using Grokking.Configuration;

namespace Grokking.Data;

/// <summary>
/// Memory a run of these options needs, in bytes, before anything is allocated: the data set (built once, then each
/// member's train and validation rows), the population's parameters with their gradients and optimizer state, the
/// activations of one training batch (forward and the copies autograd keeps for backward), and evaluation (a metric
/// chunk of <see cref="EvaluationRows"/> rows, and the weights and gradients of a landscape path's points evaluated as
/// one population). An order
/// of magnitude, not an accounting: it counts the big terms and leaves out libtorch's workspace, so it errs low and a
/// setting it refuses would not have run (Data:Modulus = 100000 is 10^10 pairs).
/// </summary>
public sealed record ResourceEstimate(long Members, long Pairs, long DataBytes, long ModelBytes, long ActivationBytes, long EvaluationBytes)
{
    /// <summary>Rows one metric evaluation pass takes at once, over all members (PopulationEvaluator's chunk).</summary>
    public const long EvaluationRows = 32_768;

    /// <summary>Path points evaluated together when Landscape:MaxMembers is 0: the most a CPU's measured layout takes.</summary>
    public const long DefaultPathMembers = 16;

    public long TotalBytes => DataBytes + ModelBytes + ActivationBytes + EvaluationBytes;

    public static ResourceEstimate Of(GrokkingOptions options, long? members = null) => Of(options, members ?? MemberCount(options.Population));

    private static ResourceEstimate Of(GrokkingOptions options, long members)
    {
        long floatBytes = options.Model.Precision == Precision.Float64 ? 8 : 4;
        var (pairs, data) = DataSize(options.Data, members, options.Population.TrainSamples?.Max(), OneImageDraw(options));
        long parameters = ParameterCount(options.Model, options.Data);

        // Parameters, gradients and up to two optimizer moments (Adam's; SGD with momentum keeps one).
        long model = Multiply(members, parameters, floatBytes, options.Optimizer.Name == OptimizerKind.Sgd ? 3 : 4);
        long rows = options.Population.TrainSamples?.Max() ?? TrainRows(options.Data, pairs);
        long batch = options.Train.BatchSize > 0 ? Math.Min(options.Train.BatchSize, rows) : rows;
        long perRow = ActivationsPerRow(options.Model, options.Data);
        long activations = Multiply(members, batch, perRow, floatBytes * 2);
        long pathMembers = options.Landscape.MaxMembers > 0 ? options.Landscape.MaxMembers : DefaultPathMembers;
        long evaluationRows = Math.Min(EvaluationRows, Multiply(members, Math.Min(pairs, PassRows(options, floatBytes)), 1, 1));
        long evaluation = Add(Multiply(evaluationRows, perRow, floatBytes, 1), Multiply(pathMembers, parameters, floatBytes, 2));
        return new ResourceEstimate(members, pairs, data, model, activations, evaluation);
    }

    /// <summary>Rows per member one evaluation pass takes: all, but for the LSTM (<see cref="RecurrentPassRows"/>).</summary>
    private static long PassRows(GrokkingOptions options, long floatBytes) => options.Model.Kind == ModelKind.Lstm
        ? RecurrentPassRows(options.Data.SequenceLength, options.Model.DModel, floatBytes)
        : long.MaxValue;

    /// <summary>
    /// A recurrent pass keeps every step's gate inputs ([steps x rows, 4 x hidden] floats) until its recurrence is done:
    /// rows per member are held to about 64 MiB of them (32 reviews at 500 steps and width 256).
    /// </summary>
    public static long RecurrentPassRows(long steps, long hidden, long floatBytes) => Math.Max(1, (64L << 20) / (steps * 4 * hidden * floatBytes));

    /// <summary>
    /// Seeds x TrainFractions x TrainSamples x Messiness x WeightDecays x InitScales x LearningRates, an empty list
    /// counting once (paired: one list).
    /// </summary>
    public static long MemberCount(PopulationOptions p) =>
        Multiply(
            Math.Max(1, p.Seeds.Length) * (long)Math.Max(1, p.Messiness?.Length ?? 1),
            Math.Max(1, p.TrainFractions?.Length ?? 1) * (long)Math.Max(1, p.TrainSamples?.Length ?? 1),
            p.Paired ? 1 : Math.Max(1, p.WeightDecays.Length),
            Math.Max(1, p.InitScales.Length) * (long)Math.Max(1, p.LearningRates.Length));

    /// <summary>
    /// Examples in the data set and its bytes. Modular: the dataset's a, b, c arrays and token array (int64) and its
    /// input and label tensors, built once, then per member a permutation and its train and validation rows
    /// (SequenceLength + 1 int64 per pair). Vectors: per member its samples' inputs and targets (float32).
    /// </summary>
    /// <param name="sweptSamples">The largest size of a training-size sweep (every member's rows are padded to it), or null.</param>
    /// <param name="oneDraw">
    /// Images: every member draws the same training images (<see cref="OneImageDraw"/>), held once. An image data set's
    /// test images are held once in any case (<see cref="ImageDataset"/>).
    /// </param>
    public static (long Pairs, long Bytes) DataSize(DataOptions data, long members, int? sweptSamples = null, bool oneDraw = false)
    {
        const long Int64 = 8;
        if (data.Kind == DatasetKind.Modular)
        {
            long p = data.Modulus;
            long pairs = p * (data.Operation is ModularOperation.Multiply or ModularOperation.Divide ? p - 1 : p);
            long tokens = ModularArithmeticDataset.SequenceLengthOf(data.Format);
            long once = Multiply(pairs, Int64, 3 + (2 * tokens) + 1, 1);
            return (pairs, Add(once, Multiply(members, pairs, Int64, tokens + 2)));
        }

        if (data.Kind == DatasetKind.ToyAddition)
        {
            // Per member every pair once (train and test rows): two int64 digits and a float32 template, and its templates.
            long all = DataOptions.ToyAdditionPairs(data.Modulus);
            return (all, Add(Multiply(members, all, (2 * Int64) + (4L * data.TemplateDimension), 1),
                Multiply(members, data.ToyClasses, data.TemplateDimension, 4)));
        }

        var (inputShape, _, outputs) = PopulationDataFactory.Shape(data);
        long width = inputShape.Aggregate(1L, (a, b) => a * b) + outputs;
        long train = sweptSamples ?? data.TrainSamples;
        long samples = train + data.TestSamples;
        if (data.Kind == DatasetKind.Images)
        {
            return (samples, Add(Multiply(oneDraw ? 1 : members, train, width, 4), Multiply(1, data.TestSamples, width, 4)));
        }

        return (samples, Multiply(members, samples, width, 4));
    }

    /// <summary>
    /// Whether every member of an image population draws the same training images: one Data:SplitSeed (or one seed) and
    /// one training-set size.
    /// </summary>
    public static bool OneImageDraw(GrokkingOptions options) =>
        options.Data.Kind == DatasetKind.Images
        && (options.Data.SplitSeed >= 0 || options.Population.Seeds.Distinct().Count() == 1)
        && (options.Population.TrainSamples is not { } sizes || sizes.Distinct().Count() == 1);

    private static long TrainRows(DataOptions data, long pairs) =>
        data.Kind == DatasetKind.Modular ? Math.Max(1, (long)Math.Floor(pairs * data.TrainFraction)) : data.TrainSamples;

    /// <summary>One member's parameters: the transformer's embeddings, blocks and unembedding, or the MLP's layers.</summary>
    public static long ParameterCount(ModelOptions model, DataOptions data)
    {
        var (inputShape, vocabulary, outputs) = PopulationDataFactory.Shape(data);
        if (model.Kind == ModelKind.Transformer)
        {
            long d = model.DModel;
            long block = (4 * d * d) + (2 * d * model.DMlp) + (9 * d) + model.DMlp;
            return Add(Multiply(vocabulary + inputShape[0], d, 1, 1), Add(Multiply(model.Layers, block, 1, 1), (d + 1) * outputs));
        }

        if (model.Kind is ModelKind.Lstm or ModelKind.Gcnn)
        {
            return model.Kind == ModelKind.Lstm ? LstmParameters(model, vocabulary) : GcnnParameters(model);
        }

        // Toy addition: the representation (p digits x Embedding) and a decoder MLP from Embedding wide inputs.
        bool toy = model.Kind == ModelKind.ToyAddition;
        long representation = toy ? Multiply(vocabulary, model.Embedding, 1, 1) : 0;
        long[] widths = [toy ? model.Embedding : inputShape.Aggregate(1L, (a, b) => a * b), .. model.Hidden.Select(h => (long)h), outputs];
        return widths.Zip(widths.Skip(1)).Aggregate(representation, (sum, w) => Add(sum, (w.First * w.Second) + w.Second));
    }

    /// <summary>Floats one example's forward pass keeps: per position and layer the attention's and MLP's outputs.</summary>
    public static long ActivationsPerRow(ModelOptions model, DataOptions data)
    {
        var (inputShape, _, outputs) = PopulationDataFactory.Shape(data);
        if (model.Kind == ModelKind.Transformer)
        {
            long n = inputShape[0];
            long perLayer = n * ((8L * model.DModel) + (2L * model.DMlp) + (2L * model.Heads * n));
            return Add(Multiply(model.Layers, perLayer, 1, 1), (n * model.DModel) + (2L * outputs));
        }

        if (model.Kind == ModelKind.Lstm)
        {
            // Per time step: the embedding, and per layer its four gates, cell, tanh(cell) and hidden state.
            return Multiply(inputShape[0], model.Embedding + (7L * model.Layers * model.DModel), 1, 1);
        }

        if (model.Kind == ModelKind.Gcnn)
        {
            // Per atom: the packed row, each layer's per-type aggregates and its output before and after the ReLU.
            long atoms = inputShape[0];
            long[] widths = [Qm9Molecules.FeatureCount, .. model.Hidden.Select(h => (long)h)];
            return Multiply(atoms, inputShape[1] + widths.Zip(widths.Skip(1)).Sum(w => (MoleculeGraphs.BondTypes * w.First) + (2 * w.Second)), 1, 1);
        }

        return inputShape.Aggregate(1L, (a, b) => a * b) + (2 * model.Hidden.Sum(h => (long)h)) + (2L * outputs);
    }

    /// <summary>Embedding, per layer the input and recurrent weights with both biases, and the read-out.</summary>
    private static long LstmParameters(ModelOptions model, long vocabulary)
    {
        long h = model.DModel;
        long layers = Enumerable.Range(0, model.Layers).Sum(l => ((l == 0 ? model.Embedding : h) * 4 * h) + (4 * h * h) + (8 * h));
        return (vocabulary * model.Embedding) + layers + h + 1;
    }

    /// <summary>Per convolution its edge network (4 -> DMlp -> in x out), root weight and bias; then the head.</summary>
    private static long GcnnParameters(ModelOptions model)
    {
        long e = MoleculeGraphs.BondTypes;
        long hidden = model.DMlp;
        long[] widths = [Qm9Molecules.FeatureCount, .. model.Hidden.Select(w => (long)w)];
        long convolutions = widths.Zip(widths.Skip(1)).Sum(w => (e * hidden) + hidden + ((hidden + 2) * w.First * w.Second) + w.Second);
        return convolutions + (widths[^1] * hidden) + hidden + hidden + 1;
    }

    /// <summary>A product that saturates at long.MaxValue instead of wrapping (10^10 pairs times members times bytes).</summary>
    private static long Multiply(long a, long b, long c, long d)
    {
        double product = (double)a * b * c * d;
        return product >= long.MaxValue ? long.MaxValue : (long)product;
    }

    private static long Add(long a, long b) => a > long.MaxValue - b ? long.MaxValue : a + b;
}
