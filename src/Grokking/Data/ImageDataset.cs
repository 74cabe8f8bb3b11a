using Grokking.Configuration;
using Grokking.Runtime;
using static TorchSharp.torch;

namespace Grokking.Data;

/// <summary>
/// 28x28 grey images with 10 classes from IDX files (MNIST, Fashion-MNIST), as Omnigrok's MNIST experiment uses them
/// (OG-6): pixels scaled to [0, 1] (torchvision's ToTensor, no mean/std normalization), flattened to 784 inputs,
/// MSE against one-hot targets or, with Data:ImagesLoss = crossentropy (Fig. 11), cross-entropy on the logits. Each
/// member trains on its own random subset of Data:TrainSamples training images (drawn from Data:SplitSeed when set,
/// else from the member's seed) and is tested on the first Data:TestSamples test images.
/// </summary>
public static class ImageDataset
{
    public const int Classes = 10;
    private const int Side = 28;

    public static long[] InputShape => [Side * Side];

    /// <param name="trainSamples">
    /// Per member its own number of training images (Population:TrainSamples), or null for Data:TrainSamples each. Sizes
    /// that differ are padded to the largest with weight-0 copies of the member's first image (as a fraction sweep's
    /// sets are); member k's images are the first n_k of its seed's draw, so one seed's sets are nested.
    /// </param>
    public static PopulationData Create(DataOptions options, IReadOnlyList<long> seeds, Device device, IReadOnlyList<int>? trainSamples = null)
    {
        using var scope = NewDisposeScope();
        var (trainImages, trainLabels) = Load(options, "train");
        var (testImages, testLabels) = Load(options, "t10k");
        int nTrain = (int)trainImages.shape[0];
        int nTest = (int)testImages.shape[0];
        int[] sizes = [.. seeds.Select((_, k) => trainSamples is { } n && n[k] > 0 ? n[k] : options.TrainSamples)];
        int largest = sizes.Max();
        CheckSamples(options, trainSamples is null ? "TrainSamples" : "Population:TrainSamples", largest, nTrain, "training");
        CheckSamples(options, "TestSamples", options.TestSamples, nTest, "test");
        bool padded = sizes.Distinct().Count() > 1;

        var subsets = seeds.Select((seed, k) =>
        {
            using var g = SeedStreams.Generator(options.SplitSeed >= 0 ? options.SplitSeed : seed, SeedStreams.Split);
            var own = randperm(nTrain, generator: g)[..sizes[k]];
            return padded ? cat([own, own[..1].expand(largest - sizes[k])]) : own;
        }).ToArray();
        using var picked = stack(subsets);
        int k = seeds.Count;
        var trainX = trainImages.index_select(0, picked.reshape(-1)).reshape(k, largest, Side * Side);
        var trainY = trainLabels.index_select(0, picked.reshape(-1)).reshape(k, largest);
        var testX = testImages[..options.TestSamples].reshape(1, options.TestSamples, Side * Side).expand(k, -1, -1).contiguous();
        var testY = testLabels[..options.TestSamples].reshape(1, options.TestSamples).expand(k, -1).contiguous();
        Tensor Keep(Tensor t) => t.to(device).MoveToOuterDisposeScope();
        Tensor? weights = padded ? Keep(stack(sizes.Select(n => cat([ones(n), zeros(largest - n)])).ToArray())) : null;
        var task = options.ImagesLoss == ImageLoss.CrossEntropy ? TaskKind.Classification : TaskKind.OneHotRegression;
        return new PopulationData(task, Keep(trainX), Keep(trainY), Keep(testX), Keep(testY), Classes, trainWeights: weights);
    }

    private static void CheckSamples(DataOptions options, string key, int requested, int available, string split)
    {
        if (requested > available)
        {
            throw OptionsException.InvalidValue(
                key.Contains(':') ? key : $"Data:{key}",
                $"{requested}; {options.ImagesNameOrDefault} has {available} {split} images (allowed: 1..{available})");
        }
    }

    /// <summary>Images [N, 784] in [0, 1] and labels [N] (int64) of one split ("train" or "t10k").</summary>
    private static (Tensor Images, Tensor Labels) Load(DataOptions options, string split)
    {
        var images = IdxFile.Read(Find(options, $"{split}-images-idx3-ubyte"));
        var labels = IdxFile.Read(Find(options, $"{split}-labels-idx1-ubyte"));
        if (images.Shape is not [var n, Side, Side])
        {
            throw new InvalidDataException(
                $"{options.ImagesNameOrDefault} {split} images: shape {ShapeText.Of(images.Shape)}, expected [N, {Side}, {Side}]");
        }

        if (labels.Shape is not [var m] || m != n)
        {
            throw new InvalidDataException($"{options.ImagesNameOrDefault} {split} labels: shape {ShapeText.Of(labels.Shape)}, expected [{n}]");
        }

        if (labels.Values.Any(v => v >= Classes))
        {
            throw new InvalidDataException($"{options.ImagesNameOrDefault} {split} labels: a label is outside 0..{Classes - 1}");
        }

        var x = tensor(images.Values, [n, Side * Side], ScalarType.Byte).to_type(ScalarType.Float32).DivideInPlace(255.0);
        var y = tensor(labels.Values, [n], ScalarType.Byte).to_type(ScalarType.Int64);
        return (x, y);
    }

    private static string Find(DataOptions options, string name)
    {
        foreach (string candidate in new[] { name, name + ".gz" }.Select(f => Path.Combine(options.ImagesDirectoryOrDefault, f)))
        {
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw OptionsException.InvalidValue(
            "Data:ImagesDirectory",
            $"'{options.ImagesDirectoryOrDefault}' has no {name} (or {name}.gz); "
            + "point it at MNIST-format IDX files "
            + "(Debian: apt-get install dataset-fashion-mnist puts Fashion-MNIST in /usr/share/datasets/fashion-mnist)");
    }
}
