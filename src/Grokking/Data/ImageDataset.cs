using Grokking.Configuration;
using Grokking.Runtime;
using static TorchSharp.torch;

namespace Grokking.Data;

/// <summary>
/// 28x28 grey images with 10 classes from IDX files (MNIST, Fashion-MNIST), as Omnigrok's MNIST experiment uses them
/// (OG-6): pixels scaled to [0, 1] (torchvision's ToTensor, no mean/std normalization), flattened to 784 inputs,
/// MSE against one-hot targets or, with Data:ImagesLoss = crossentropy (Fig. 11), cross-entropy on the logits. Each
/// member trains on its own random subset of Data:TrainSamples training images (drawn from Data:SplitSeed when set,
/// else from the member's seed) and is tested on the first Data:TestSamples test images. With Population:Messiness
/// each member reads its images through its own representation messiness (section 5.2, Fig. 8).
/// </summary>
public static class ImageDataset
{
    public const int Classes = 10;
    private const int Side = 28;

    public static long[] InputShape => [Side * Side];

    /// <summary>
    /// Omnigrok's R_linear for images (section 5.2): label y's image has every pixel t_y, t = linspace(-0.5, 0.5, 10) as
    /// the notebook, or t_y = y as the text (<see cref="ImageTemplates"/>).
    /// </summary>
    public static Tensor Templates(ImageTemplates kind) => kind == ImageTemplates.Label
        ? LabelTemplateMix.EvenTemplates(Classes, 0, Classes - 1, CPU)
        : LabelTemplateMix.EvenTemplates(Classes, -0.5, 0.5, CPU);

    /// <param name="trainSamples">
    /// Per member its own number of training images (Population:TrainSamples), or null for Data:TrainSamples each. Sizes
    /// that differ are padded to the largest with weight-0 copies of the member's first image (as a fraction sweep's
    /// sets are); member k's images are the first n_k of its seed's draw, so one seed's sets are nested.
    /// </param>
    /// <param name="messiness">
    /// Per member its representation messiness m (Population:Messiness), or null: member k reads an image x of label y
    /// as m_k x + (1 - m_k) t_y (<see cref="LabelTemplateMix"/>), train and test alike.
    /// </param>
    /// <remarks>
    /// The test images are the same for every member and are held once, expanded over the members; so are the training
    /// images when every member draws the same ones (one Data:SplitSeed, or one seed, and one size). Otherwise each member
    /// holds its own draw.
    /// </remarks>
    public static PopulationData Create(
        DataOptions options,
        IReadOnlyList<long> seeds,
        Device device,
        IReadOnlyList<int>? trainSamples = null,
        IReadOnlyList<double>? messiness = null)
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
        long[] draws = [.. seeds.Select(seed => options.SplitSeed >= 0 ? options.SplitSeed : seed)];
        bool oneDraw = !padded && draws.Distinct().Count() == 1;

        var subsets = (oneDraw ? draws[..1] : draws).Select((draw, k) =>
        {
            using var g = SeedStreams.Generator(draw, SeedStreams.Split);
            var own = randperm(nTrain, generator: g)[..sizes[k]];
            return padded ? cat([own, own[..1].expand(largest - sizes[k])]) : own;
        }).ToArray();
        using var picked = stack(subsets);
        int k = seeds.Count;
        int rows = (int)picked.shape[0];
        Tensor Keep(Tensor t) => t.to(device).MoveToOuterDisposeScope();
        // A set held once goes to the device before it is expanded (moving the expanded view would copy it per member);
        // the view alone leaves the scope, and keeps the copy's storage alive.
        Tensor Members(Tensor t) => t.shape[0] == k ? Keep(t) : t.to(device).expand([k, .. t.shape[1..]]).MoveToOuterDisposeScope();
        var trainX = Members(trainImages.index_select(0, picked.reshape(-1)).reshape(rows, largest, Side * Side));
        var trainY = Members(trainLabels.index_select(0, picked.reshape(-1)).reshape(rows, largest));
        var testX = Members(testImages[..options.TestSamples].reshape(1, options.TestSamples, Side * Side));
        var testY = Members(testLabels[..options.TestSamples].reshape(1, options.TestSamples));
        Tensor? weights = padded ? Keep(stack(sizes.Select(n => cat([ones(n), zeros(largest - n)])).ToArray())) : null;
        var mix = messiness is null ? null : new LabelTemplateMix(
            Keep(tensor(messiness.Select(m => (float)m).ToArray())), Keep(Templates(options.ImagesTemplates)));
        var task = options.ImagesLoss == ImageLoss.CrossEntropy ? TaskKind.Classification : TaskKind.OneHotRegression;
        return new PopulationData(task, trainX, trainY, testX, testY, Classes, trainWeights: weights, mix: mix);
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
