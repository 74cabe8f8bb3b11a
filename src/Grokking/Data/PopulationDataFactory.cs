using Grokking.Runtime;
using Grokking.Configuration;
using static TorchSharp.torch;

namespace Grokking.Data;

/// <summary>Builds each member's train/validation sets from the data options and the member seeds.</summary>
public static class PopulationDataFactory
{
    /// <param name="floatType">Type of floating-point inputs and targets: the model's (Model:Precision).</param>
    /// <param name="trainFractions">Per member, its own train fraction (Population:TrainFractions; NaN = Data:TrainFraction), or null.</param>
    /// <param name="trainSamples">Per member, its own number of training examples (Population:TrainSamples: images, toy addition), or null.</param>
    /// <param name="messiness">
    /// Per member, its own representation messiness m in [0, 1] (Population:Messiness), or null; only a data kind that
    /// <see cref="InterpolatesRepresentations"/> takes it.
    /// </param>
    public static PopulationData Create(
        DataOptions options,
        IReadOnlyList<long> seeds,
        Device device,
        ScalarType floatType = ScalarType.Float32,
        IReadOnlyList<double>? trainFractions = null,
        IReadOnlyList<int>? trainSamples = null,
        IReadOnlyList<double>? messiness = null)
    {
        if (messiness is not null && (!InterpolatesRepresentations(options.Kind) || messiness.Count != seeds.Count))
        {
            throw new ArgumentException(
                $"messiness needs one value per member and a data kind that interpolates representations (Data:Kind = {options.Kind})",
                nameof(messiness));
        }

        var data = options.Kind switch
        {
            DatasetKind.Modular => Modular(options, seeds, device, trainFractions),
            DatasetKind.TeacherStudent => TeacherStudentDataset.Create(options, seeds, device),
            DatasetKind.Images => ImageDataset.Create(options, seeds, device, trainSamples, messiness),
            DatasetKind.Reviews => ReviewDataset.Create(options, seeds, device),
            DatasetKind.Molecules => MoleculeDataset.Create(options, seeds, device),
            DatasetKind.ToyAddition => ToyAdditionDataset.Create(options, seeds, device, trainSamples),
            _ => throw new ArgumentOutOfRangeException(nameof(options), options.Kind, "unknown Data:Kind"),
        };
        return floatType == ScalarType.Float32 ? data : data.WithFloatType(floatType);
    }

    /// <summary>
    /// Whether a data kind builds each member's inputs from its messiness m (Population:Messiness), R = m R_raw +
    /// (1 - m) R_linear with the kind's own raw and linear representations (Omnigrok's Eq. 4 and 7). Each kind that does
    /// is named here, so a sweep over another kind is a configuration error, not an axis that is ignored.
    /// </summary>
    public static bool InterpolatesRepresentations(DatasetKind kind) => kind switch
    {
        DatasetKind.Images => true, // section 5.2: R_linear an image whose every pixel is its label's template value
        // Toy addition's representation is the model's own parameter: PopulationToyAddition draws it at each member's m
        // (Omnigrok's Eq. 4); the data are the same pairs and templates at every m.
        DatasetKind.ToyAddition => true,
        _ => false,
    };

    /// <summary>Input shape of one example and output width, for building the model before the data.</summary>
    public static (long[] InputShape, int Vocabulary, int Outputs) Shape(DataOptions options)
    {
        if (options.Kind == DatasetKind.TeacherStudent)
        {
            return ([options.TeacherInputs], 0, options.TeacherOutputs);
        }

        if (options.Kind == DatasetKind.Images)
        {
            return (ImageDataset.InputShape, 0, ImageDataset.Classes);
        }

        if (options.Kind == DatasetKind.Reviews)
        {
            // Token 0 pads; the vocabulary's words are 1..Vocabulary.
            return ([options.SequenceLength], options.Vocabulary + 1, ReviewDataset.Classes);
        }

        if (options.Kind == DatasetKind.ToyAddition)
        {
            // Two digits in, one template out; the "vocabulary" is the p digits the representation embeds.
            return ([2], options.Modulus, options.TemplateDimension);
        }

        if (options.Kind == DatasetKind.Molecules)
        {
            // The data set's largest molecule: estimates made before the data are read (the run pads to its own largest).
            return (MoleculeDataset.InputShape(MoleculeDataset.MaxAtoms), 0, 1);
        }

        return (
            [ModularArithmeticDataset.SequenceLengthOf(options.Format)],
            ModularArithmeticDataset.VocabularySizeOf(options.Format, options.Modulus),
            ModularArithmeticDataset.ClassesOf(options.Format, options.Modulus));
    }

    /// <summary>Number of training examples each member gets (the split rounds down, at least one of each).</summary>
    public static int TrainCount(DataOptions options)
    {
        if (options.Kind is not DatasetKind.Modular)
        {
            return options.TrainSamples;
        }

        int total = ModularArithmeticDataset.Create(options.Operation, options.Modulus, options.Format).Count;
        return SplitSize(total, options.TrainFraction);
    }

    public static int SplitSize(int total, double fraction) => Math.Clamp((int)Math.Floor(total * fraction), 1, total - 1);

    /// <summary>
    /// Member k trains on the first SplitSize(total, fraction_k) pairs of its seed's permutation and validates on the
    /// rest. In a fraction sweep (sizes differ) the sets of one seed are nested, and they are padded to the largest with
    /// weight-0 copies of a real row so every member's tensors share one shape; with one size there is no padding.
    /// </summary>
    private static PopulationData Modular(DataOptions options, IReadOnlyList<long> seeds, Device device, IReadOnlyList<double>? trainFractions)
    {
        // Everything built here but the returned tensors is disposed with this scope.
        using var scope = NewDisposeScope();
        var dataset = ModularArithmeticDataset.Create(options.Operation, options.Modulus, options.Format);
        int total = dataset.Count;
        var sizes = seeds.Select((_, k) => SplitSize(total, trainFractions is { } f && !double.IsNaN(f[k]) ? f[k] : options.TrainFraction)).ToArray();
        bool padded = sizes.Distinct().Count() > 1;
        int maxTrain = sizes.Max();
        int maxVal = total - sizes.Min();
        using var inputs = dataset.Inputs();
        using var labels = dataset.Labels();
        var trainIdx = new List<Tensor>();
        var valIdx = new List<Tensor>();
        var trainW = new List<Tensor>();
        var valW = new List<Tensor>();
        for (int k = 0; k < seeds.Count; k++)
        {
            using var g = SeedStreams.Generator(options.SplitSeed >= 0 ? options.SplitSeed : seeds[k], SeedStreams.Split);
            var perm = randperm(total, generator: g);
            void Add(Tensor rows, int length, List<Tensor> idx, List<Tensor> weights)
            {
                long real = rows.shape[0];
                idx.Add(padded ? cat([rows, rows[..1].expand(length - real)]) : rows);
                weights.Add(cat([ones(real), zeros(length - real)]));
            }

            Add(perm[..sizes[k]], maxTrain, trainIdx, trainW);
            Add(perm[sizes[k]..], maxVal, valIdx, valW);
        }

        using var train = stack(trainIdx);
        using var val = stack(valIdx);
        Tensor Take(Tensor source, Tensor idx) =>
            source.index_select(0, idx.reshape(-1)).reshape([idx.shape[0], idx.shape[1], .. source.shape[1..]]).to(device).MoveToOuterDisposeScope();
        Tensor? Keep(List<Tensor> parts) => padded ? stack(parts).to(device).MoveToOuterDisposeScope() : null;
        return new PopulationData(
            TaskKind.Classification,
            Take(inputs, train),
            Take(labels, train),
            Take(inputs, val),
            Take(labels, val),
            dataset.Classes,
            0,
            Keep(trainW),
            Keep(valW));
    }
}
