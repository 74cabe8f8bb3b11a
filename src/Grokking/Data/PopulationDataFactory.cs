using Grokking.Runtime;
using Grokking.Configuration;
using static TorchSharp.torch;

namespace Grokking.Data;

/// <summary>Builds each member's train/validation sets from the data options and the member seeds.</summary>
public static class PopulationDataFactory
{
    /// <param name="floatType">Type of floating-point inputs and targets: the model's (Model:Precision).</param>
    public static PopulationData Create(DataOptions options, IReadOnlyList<long> seeds, Device device, ScalarType floatType = ScalarType.Float32)
    {
        var data = options.Kind switch
        {
            DatasetKind.Modular => Modular(options, seeds, device),
            DatasetKind.TeacherStudent => TeacherStudentDataset.Create(options, seeds, device),
            DatasetKind.Images => ImageDataset.Create(options, seeds, device),
            _ => throw new ArgumentOutOfRangeException(nameof(options), options.Kind, "unknown Data:Kind"),
        };
        return floatType == ScalarType.Float32 ? data : data.WithFloatType(floatType);
    }

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

        return ([ModularArithmeticDataset.SequenceLengthOf(options.Format)], ModularArithmeticDataset.VocabularySizeOf(options.Format, options.Modulus), ModularArithmeticDataset.ClassesOf(options.Format, options.Modulus));
    }

    /// <summary>Number of training examples each member gets (the split rounds down, at least one of each).</summary>
    public static int TrainCount(DataOptions options)
    {
        if (options.Kind is DatasetKind.TeacherStudent or DatasetKind.Images)
        {
            return options.TrainSamples;
        }

        int total = ModularArithmeticDataset.Create(options.Operation, options.Modulus, options.Format).Count;
        return SplitSize(total, options.TrainFraction);
    }

    public static int SplitSize(int total, double fraction) => Math.Clamp((int)Math.Floor(total * fraction), 1, total - 1);

    private static PopulationData Modular(DataOptions options, IReadOnlyList<long> seeds, Device device)
    {
        // Everything built here but the four returned tensors is disposed with this scope.
        using var scope = NewDisposeScope();
        var dataset = ModularArithmeticDataset.Create(options.Operation, options.Modulus, options.Format);
        int nTrain = SplitSize(dataset.Count, options.TrainFraction);
        using var inputs = dataset.Inputs();
        using var labels = dataset.Labels();
        var trainIdx = new List<Tensor>();
        var valIdx = new List<Tensor>();
        foreach (long seed in seeds)
        {
            using var g = SeedStreams.Generator(options.SplitSeed >= 0 ? options.SplitSeed : seed, SeedStreams.Split);
            var perm = randperm(dataset.Count, generator: g);
            trainIdx.Add(perm[..nTrain]);
            valIdx.Add(perm[nTrain..]);
        }

        using var train = stack(trainIdx);
        using var val = stack(valIdx);
        Tensor Take(Tensor source, Tensor idx) => source.index_select(0, idx.reshape(-1)).reshape([idx.shape[0], idx.shape[1], .. source.shape[1..]]).to(device).MoveToOuterDisposeScope();
        return new PopulationData(TaskKind.Classification, Take(inputs, train), Take(labels, train), Take(inputs, val), Take(labels, val), dataset.Classes);
    }
}
