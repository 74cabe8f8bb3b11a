using Grokking.Configuration;
using Grokking.Data;
using Grokking.Models;
using Grokking.Runtime;
using Grokking.Training;
using static TorchSharp.torch;

namespace Grokking.Tests.Unit.Engine;

/// <summary>
/// Images with representation messiness (Omnigrok section 5.2, Eq. 7): on IDX files written here (image i has every pixel
/// 7 i / 255 and label i mod 10) each member reads m x + (1 - m) t_y with t = linspace(-0.5, 0.5, 10), i.e. t_y =
/// -0.5 + y / 9, checked pixel by pixel; the images are held once (a shared set is an expanded view) and read with the
/// bits of per-member copies.
/// </summary>
public sealed class MessyImagesTests
{
    public MessyImagesTests() => TorchRuntime.Initialize(DeviceChoice.Cpu);

    private static GrokkingOptions Options(string dir, params string[] overrides) => EngineFixtures.Small(
        ["Data:Kind=images", $"Data:ImagesDirectory={dir}", "Model:Kind=mlp", "Model:Hidden=16,16", "Data:TrainSamples=40",
            "Data:TestSamples=6", "Train:BatchSize=10", "Train:Steps=60", "Train:MetricsEvery=20", "Optimizer:Name=adamw",
            "Optimizer:LearningRate=0.003", .. overrides]);

    private static double Template(long label) => -0.5 + (label / 9.0);

    [Fact]
    public void Each_member_reads_m_times_the_image_plus_one_minus_m_times_its_labels_template_in_train_and_test()
    {
        string dir = ImageDatasetTests.IdxDirectory(train: 50, test: 6, gzip: false);
        double[] m = [0, 0.25, 1];
        using var data = PopulationDataFactory.Create(Options(dir, "Data:SplitSeed=0").Data, [0, 0, 0], CPU, messiness: m);
        using var indices = tensor(new long[] { 3, 0, 7, 3, 0, 7, 3, 0, 7 }, [3, 3]);

        using var test = data.Represent(data.ValX, data.ValY);
        using var trainY = PopulationData.Gather(data.TrainY, indices);
        using var train = data.Represent(PopulationData.Gather(data.TrainX, indices), trainY);

        data.Mix.Should().NotBeNull();
        for (int k = 0; k < 3; k++)
        {
            for (int i = 0; i < 6; i++)
            {
                // Test image i: pixel 7 i / 255, label i.
                double expected = (m[k] * 7 * i / 255.0) + ((1 - m[k]) * Template(i));
                test[k, i].data<float>().ToArray().Should().AllSatisfy(v => v.Should().BeApproximately((float)expected, 1e-6f));
            }

            for (int b = 0; b < 3; b++)
            {
                long row = indices[k, b].item<long>();
                float raw = data.TrainX[k, row, 0].item<float>();
                long label = data.TrainY[k, row].item<long>();
                double expected = (m[k] * raw) + ((1 - m[k]) * Template(label));
                train[k, b].data<float>().ToArray().Should().AllSatisfy(v => v.Should().BeApproximately((float)expected, 1e-6f));
                trainY[k, b].item<long>().Should().Be(label);
            }
        }

        // m = 1 is the raw image bit for bit; m = 0 is the template alone, whatever the image.
        test[2].allclose(data.ValX[2], 0, 0).Should().BeTrue();
        test[0, 4].data<float>().ToArray().Distinct().Should().ContainSingle().Which.Should().BeApproximately((float)Template(4), 1e-7f);
    }

    /// <summary>
    /// The text's templates (Data:ImagesTemplates = label): "an image of a 2 is represented by a matrix with all elements
    /// being 2", so member m reads m x + (1 - m) y; the key stays out of the serialized options at its default, and is an
    /// error naming it for data other than images.
    /// </summary>
    [Fact]
    public void The_texts_label_templates_set_every_pixel_to_the_label()
    {
        string dir = ImageDatasetTests.IdxDirectory(train: 50, test: 6, gzip: false);
        var options = Options(dir, "Data:SplitSeed=0", "Data:ImagesTemplates=label");
        using var data = PopulationDataFactory.Create(options.Data, [0, 0], CPU, messiness: [0, 0.25]);

        using var test = data.Represent(data.ValX, data.ValY);

        for (int i = 0; i < 6; i++)
        {
            test[0, i].data<float>().ToArray().Should().AllSatisfy(v => v.Should().Be(i), "m = 0 is the template alone");
            double expected = (0.25 * 7 * i / 255.0) + (0.75 * i);
            test[1, i].data<float>().ToArray().Should().AllSatisfy(v => v.Should().BeApproximately((float)expected, 1e-5f));
        }

        System.Text.Json.JsonSerializer.Serialize(Options(dir).Data).Should().NotContain("ImagesTemplates");
        System.Text.Json.JsonSerializer.Serialize(options.Data).Should().Contain("ImagesTemplates");
        var act = () => EngineFixtures.Small(["Data:Kind=teacherstudent", "Data:ImagesTemplates=label"]);
        act.Should().Throw<OptionsException>().Which.Key.Should().Be("Data:ImagesTemplates");
    }

    [Fact]
    public void The_test_images_and_one_draw_of_training_images_are_held_once_and_gathered_as_per_member_copies()
    {
        string dir = ImageDatasetTests.IdxDirectory(train: 50, test: 6, gzip: false);
        using var shared = PopulationDataFactory.Create(Options(dir, "Data:SplitSeed=2").Data, [0, 1, 5], CPU);
        using var own = PopulationDataFactory.Create(Options(dir).Data, [0, 1, 5], CPU);
        using var indices = tensor(new long[] { 1, 4, 2, 0, 3, 3 }, [3, 2]);

        PopulationData.IsShared(shared.TrainX).Should().BeTrue();
        PopulationData.IsShared(shared.TrainY).Should().BeTrue();
        PopulationData.IsShared(shared.ValX).Should().BeTrue();
        PopulationData.IsShared(own.TrainX).Should().BeFalse("each seed draws its own images");
        PopulationData.IsShared(own.ValX).Should().BeTrue("the test images are every member's");
        shared.TrainX.shape.Should().Equal(3, 40, 784);
        using var copy = shared.TrainX.contiguous();
        PopulationData.Gather(shared.TrainX, indices).allclose(PopulationData.Gather(copy, indices), 0, 0).Should().BeTrue();
        using var alone = PopulationDataFactory.Create(Options(dir).Data, [0], CPU);
        own.TrainX[0].allclose(alone.TrainX[0], 0, 0).Should().BeTrue();
    }

    [Fact]
    public void Evaluating_a_shared_set_gives_the_bits_of_per_member_copies_with_and_without_the_mix()
    {
        string dir = ImageDatasetTests.IdxDirectory(train: 50, test: 6, gzip: false);
        var o = Options(dir, "Data:SplitSeed=0", "Model:Hidden=200,200");
        foreach (double[]? m in new[] { null, new double[] { 0.1, 0.6, 1 } })
        {
            using var shared = PopulationDataFactory.Create(o.Data, [0, 1, 2], CPU, messiness: m);
            using var copies = new PopulationData(shared.Task, shared.TrainX.contiguous(), shared.TrainY.contiguous(), shared.ValX.contiguous(),
                shared.ValY.contiguous(), shared.Classes,
                mix: m is null ? null : new LabelTemplateMix(shared.Mix!.Messiness.clone(), shared.Mix.Templates.clone()));
            using var model = PopulationModelFactory.Create(3, o.Model, o.Data, CPU);
            model.Initialize([0, 1, 2], [1, 2, 4]);

            foreach (bool train in new[] { true, false })
            {
                var viaShared = train ? PopulationEvaluator.Evaluate(model, shared.TrainX, shared.TrainY, shared)
                    : PopulationEvaluator.Evaluate(model, shared.ValX, shared.ValY, shared);
                var viaCopies = train ? PopulationEvaluator.Evaluate(model, copies.TrainX, copies.TrainY, copies)
                    : PopulationEvaluator.Evaluate(model, copies.ValX, copies.ValY, copies);
                viaShared.Loss.data<float>().ToArray().Should().Equal(viaCopies.Loss.data<float>().ToArray());
                viaShared.Accuracy.data<float>().ToArray().Should().Equal(viaCopies.Accuracy.data<float>().ToArray());
            }
        }
    }

    [Fact]
    public void A_chunk_of_members_keeps_its_own_messiness_and_float64_keeps_the_one_copy()
    {
        string dir = ImageDatasetTests.IdxDirectory(train: 50, test: 6, gzip: false);
        var o = Options(dir, "Data:SplitSeed=0");
        using var data = PopulationDataFactory.Create(o.Data, [0, 0, 0], CPU, ScalarType.Float64, messiness: [0, 0.5, 1]);
        using var chunk = data.ForMembers(1, 2);

        chunk.Mix!.Messiness.data<double>().ToArray().Should().Equal(0.5, 1.0);
        chunk.Mix.Templates.dtype.Should().Be(ScalarType.Float64, "the mix is converted with the images, once");
        data.TrainX.dtype.Should().Be(ScalarType.Float64);
        PopulationData.IsShared(data.TrainX).Should().BeTrue();
        PopulationData.IsShared(data.ValX).Should().BeTrue();
        using var represented = chunk.Represent(chunk.ValX, chunk.ValY);
        represented.dtype.Should().Be(ScalarType.Float64);
        represented[0, 5, 0].item<double>().Should().BeApproximately((0.5 * 35 / 255.0) + (0.5 * Template(5)), 1e-7);
    }

    [Fact]
    public void In_training_the_member_at_m_1_follows_the_run_without_the_sweep_and_m_0_reads_other_inputs()
    {
        string dir = ImageDatasetTests.IdxDirectory(train: 50, test: 6, gzip: false);
        var swept = Options(dir, "Population:Seeds=3", "Population:Messiness=0,1");
        var plain = Options(dir, "Population:Seeds=3");
        PopulationSetup.Validate(swept);

        var together = new PopulationTrainer(swept, PopulationSetup.Members(swept), CPU).Run();
        var alone = new PopulationTrainer(plain, PopulationSetup.Members(plain), CPU).Run();

        var raw = together.MetricsOf(1).ToList();
        var reference = alone.MetricsOf(0).ToList();
        raw.Should().HaveCount(reference.Count);
        for (int i = 0; i < raw.Count; i++)
        {
            // A population of two sums its blocks in another order than one member alone: float32 rounding only.
            raw[i].TrainLoss.Should().BeApproximately(reference[i].TrainLoss, 2e-4);
            raw[i].ValLoss.Should().BeApproximately(reference[i].ValLoss, 2e-4);
        }

        together.MetricsOf(0).Last().TrainLoss.Should().NotBeApproximately(raw[^1].TrainLoss, 1e-3);
    }
}
