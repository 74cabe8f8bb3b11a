using System.IO.Compression;
using Grokking.Configuration;
using Grokking.Data;
using Grokking.Runtime;
using static TorchSharp.torch;

namespace Grokking.Tests.Unit.Engine;

/// <summary>IDX files (plain and gzip) written here byte by byte, read back as images and labels for OG-6.</summary>
public class ImageDatasetTests
{
    public ImageDatasetTests() => TorchRuntime.Initialize(DeviceChoice.Cpu);

    private static byte[] Idx(int[] shape, Func<int, byte> value)
    {
        var bytes = new List<byte> { 0, 0, 0x08, (byte)shape.Length };
        foreach (int d in shape)
        {
            bytes.AddRange([(byte)(d >> 24), (byte)(d >> 16), (byte)(d >> 8), (byte)d]);
        }

        int count = shape.Aggregate(1, (a, b) => a * b);
        bytes.AddRange(Enumerable.Range(0, count).Select(value));
        return [.. bytes];
    }

    private static void Write(string path, byte[] bytes, bool gzip)
    {
        if (!gzip)
        {
            File.WriteAllBytes(path, bytes);
            return;
        }

        using var file = File.Create(path + ".gz");
        using var zip = new GZipStream(file, CompressionLevel.Fastest);
        zip.Write(bytes);
    }

    /// <summary>Image i of a split has every pixel equal to (i * 7) mod 256, and label i mod 10.</summary>
    internal static string IdxDirectory(int train, int test, bool gzip)
    {
        string dir = EngineFixtures.TempDirectory();
        foreach (var (split, n) in new[] { ("train", train), ("t10k", test) })
        {
            Write(Path.Combine(dir, $"{split}-images-idx3-ubyte"), Idx([n, 28, 28], k => (byte)(k / 784 * 7 % 256)), gzip);
            Write(Path.Combine(dir, $"{split}-labels-idx1-ubyte"), Idx([n], k => (byte)(k % 10)), gzip);
        }

        return dir;
    }

    private static DataOptions Options(string dir, params string[] overrides) =>
        EngineFixtures.Small(["Data:Kind=images", $"Data:ImagesDirectory={dir}", "Model:Kind=mlp", "Data:TrainSamples=5", "Data:TestSamples=4", .. overrides]).Data;

    [Fact]
    public void An_idx_file_gives_its_shape_and_bytes_and_gzip_is_detected_by_content()
    {
        string dir = EngineFixtures.TempDirectory();
        string plain = Path.Combine(dir, "a");
        Write(plain, Idx([2, 3], k => (byte)(k + 1)), gzip: false);
        Write(Path.Combine(dir, "b"), Idx([2, 3], k => (byte)(k + 1)), gzip: true);

        foreach (string path in new[] { plain, Path.Combine(dir, "b.gz") })
        {
            var idx = IdxFile.Read(path);
            idx.Shape.Should().Equal(2, 3);
            idx.Values.Should().Equal(1, 2, 3, 4, 5, 6);
        }
    }

    [Theory]
    [InlineData(new byte[] { 1, 0, 8, 1, 0, 0, 0, 1, 9 }, "first two bytes")]
    [InlineData(new byte[] { 0, 0, 0x0D, 1, 0, 0, 0, 1, 9 }, "0x0d")]
    [InlineData(new byte[] { 0, 0, 8, 1, 0, 0, 0, 3, 9 }, "truncated")]
    public void A_malformed_idx_file_is_rejected_with_its_reason(byte[] bytes, string reason)
    {
        using var stream = new MemoryStream(bytes);
        var act = () => IdxFile.Read(stream, "x");
        act.Should().Throw<InvalidDataException>().WithMessage($"*{reason}*");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Images_are_scaled_to_unit_range_with_class_labels_and_a_one_hot_mse_task(bool gzip)
    {
        string dir = IdxDirectory(train: 20, test: 6, gzip);
        using var data = PopulationDataFactory.Create(Options(dir), [0, 1], CPU);

        data.Task.Should().Be(TaskKind.OneHotRegression);
        data.Classes.Should().Be(10);
        data.TrainX.shape.Should().Equal(2, 5, 784);
        data.ValX.shape.Should().Equal(2, 4, 784);
        // The first 4 test images, the same for every member: image i is (7 i) / 255 everywhere, label i.
        data.ValY[1].data<long>().ToArray().Should().Equal(0, 1, 2, 3);
        data.ValX[1, 3, 100].item<float>().Should().BeApproximately(21f / 255, 1e-7f);
        // A training image's pixels and label agree: pixel = 7 * index / 255 and label = index mod 10.
        var x = data.TrainX[0, .., 0].data<float>().ToArray();
        var y = data.TrainY[0].data<long>().ToArray();
        for (int i = 0; i < 5; i++)
        {
            long index = (long)Math.Round(x[i] * 255 / 7);
            (index % 10).Should().Be(y[i]);
        }

        PopulationDataFactory.Shape(Options(dir)).Should().BeEquivalentTo((new long[] { 784 }, 0, 10));
    }

    [Fact]
    public void The_cross_entropy_loss_option_makes_images_a_classification_task_and_stays_out_of_the_options_at_its_default()
    {
        string dir = IdxDirectory(train: 20, test: 6, gzip: false);
        using var ce = PopulationDataFactory.Create(Options(dir, "Data:ImagesLoss=crossentropy"), [0], CPU);
        using var mse = PopulationDataFactory.Create(Options(dir), [0], CPU);

        ce.Task.Should().Be(TaskKind.Classification);
        mse.Task.Should().Be(TaskKind.OneHotRegression);
        // Same images and labels: only the loss differs.
        ce.TrainX.allclose(mse.TrainX, 0, 0).Should().BeTrue();
        // Absent at its default, so adding the key left every existing run key as it was.
        System.Text.Json.JsonSerializer.Serialize(Options(dir)).Should().NotContain("ImagesLoss");
        System.Text.Json.JsonSerializer.Serialize(Options(dir, "Data:ImagesLoss=crossentropy")).Should().Contain("ImagesLoss");
    }

    [Fact]
    public void A_loss_choice_for_data_other_than_images_is_an_error_naming_the_key()
    {
        var act = () => EngineFixtures.Small(["Data:Kind=teacherstudent", "Data:ImagesLoss=crossentropy"]);

        act.Should().Throw<OptionsException>().Which.Key.Should().Be("Data:ImagesLoss");
    }

    [Fact]
    public void Each_member_draws_its_training_subset_from_its_seed_unless_the_split_seed_is_shared()
    {
        string dir = IdxDirectory(train: 50, test: 4, gzip: false);
        using var own = PopulationDataFactory.Create(Options(dir), [0, 1], CPU);
        using var alone = PopulationDataFactory.Create(Options(dir), [1], CPU);
        using var shared = PopulationDataFactory.Create(Options(dir, "Data:SplitSeed=3"), [0, 1], CPU);

        own.TrainX[1].allclose(alone.TrainX[0], 0, 0).Should().BeTrue();
        own.TrainX[0].allclose(own.TrainX[1], 0, 0).Should().BeFalse();
        shared.TrainX[0].allclose(shared.TrainX[1], 0, 0).Should().BeTrue();
    }

    [Fact]
    public void Float64_precision_converts_the_images_and_keeps_the_labels()
    {
        string dir = IdxDirectory(train: 20, test: 6, gzip: false);
        using var data = PopulationDataFactory.Create(Options(dir), [0], CPU, ScalarType.Float64);

        data.TrainX.dtype.Should().Be(ScalarType.Float64);
        data.TrainY.dtype.Should().Be(ScalarType.Int64);
    }

    [Fact]
    public void A_missing_directory_or_too_many_samples_names_the_key()
    {
        var missing = () => PopulationDataFactory.Create(Options("/nonexistent/idx"), [0], CPU);
        missing.Should().Throw<OptionsException>().Which.Key.Should().Be("Data:ImagesDirectory");

        string dir = IdxDirectory(train: 20, test: 6, gzip: false);
        var tooMany = () => PopulationDataFactory.Create(Options(dir, "Data:TrainSamples=21"), [0], CPU);
        tooMany.Should().Throw<OptionsException>().Which.Message.Should().Contain("allowed: 1..20");
    }

    [Fact]
    public void A_training_size_sweep_nests_each_seeds_sets_and_pads_them_with_weight_0_copies_of_the_first_image()
    {
        string dir = IdxDirectory(train: 50, test: 4, gzip: false);
        using var swept = PopulationDataFactory.Create(Options(dir), [1, 1, 2], CPU, trainSamples: [2, 7, 4]);
        using var alone = PopulationDataFactory.Create(Options(dir, "Data:TrainSamples=7"), [1], CPU);

        swept.TrainX.shape.Should().Equal(3, 7, 784);
        swept.IsPadded.Should().BeTrue();
        swept.MemberTrainCounts().Should().Equal(2, 7, 4);
        swept.TrainWeights![0].data<float>().ToArray().Should().Equal(1, 1, 0, 0, 0, 0, 0);
        swept.TrainWeights![2].data<float>().ToArray().Should().Equal(1, 1, 1, 1, 0, 0, 0);
        // Seed 1's 7 images are the single-size draw of 7; its 2 images are their first 2, and the padding repeats image 0.
        swept.TrainX[1].allclose(alone.TrainX[0], 0, 0).Should().BeTrue();
        swept.TrainY[0].data<long>().ToArray().Should().Equal([.. Enumerable.Repeat(alone.TrainY[0, 0].item<long>(), 1),
            alone.TrainY[0, 1].item<long>(), .. Enumerable.Repeat(alone.TrainY[0, 0].item<long>(), 5)]);
        swept.ValX.shape.Should().Equal(3, 4, 784);

        using var same = PopulationDataFactory.Create(Options(dir), [1, 2], CPU, trainSamples: [5, 5]);
        same.IsPadded.Should().BeFalse("equal sizes need no padding");

        var tooMany = () => PopulationDataFactory.Create(Options(dir), [0, 1], CPU, trainSamples: [5, 51]);
        tooMany.Should().Throw<OptionsException>().Which.Key.Should().Be("Population:TrainSamples");
    }
}
