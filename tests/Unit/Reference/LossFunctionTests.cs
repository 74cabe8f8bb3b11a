using Grokking.Data;
using Grokking.Runtime;
using Grokking.Training;
using static TorchSharp.torch;

namespace Grokking.Tests.Unit.Reference;

/// <summary>Per-example losses and correctness against numbers computed by hand.</summary>
public class LossFunctionTests
{
    // Touching torch before the runtime applies its native-library step breaks torch for the whole process.
    public LossFunctionTests() => TorchRuntime.Initialize(DeviceChoice.Cpu);

    [Fact]
    public void Cross_entropy_is_minus_the_log_softmax_of_the_label()
    {
        using var scope = NewDisposeScope();
        var logits = tensor(new double[] { 1, 2, 3, 0.5, -1, 2, 0, 0, 0, 10, 0, 0 }, [2, 2, 3]);
        var labels = tensor(new long[] { 2, 0, 1, 0 }, [2, 2]);

        var loss = LossFunctions.PerExample(logits, labels, TaskKind.Classification).data<double>().ToArray();

        // ln(e + e^2 + e^3) - 3; ln(e^0.5 + e^-1 + e^2) - 0.5; ln 3; ln(e^10 + 2) - 10.
        loss.Should().Equal(new[] { 0.40760596444438013, 1.7413112966571571, Math.Log(3), Math.Log(1 + (2 * Math.Exp(-10))) }, (a, b) => Math.Abs(a - b) < 1e-12);
    }

    [Fact]
    public void Regression_loss_is_the_mean_squared_error_over_outputs()
    {
        using var scope = NewDisposeScope();
        var output = tensor(new double[] { 1, 2, 0, 0 }, [1, 2, 2]);
        var labels = tensor(new double[] { 0, 4, 0, 0.1 }, [1, 2, 2]);

        var loss = LossFunctions.PerExample(output, labels, TaskKind.Regression);

        loss.data<double>().ToArray().Should().Equal(new[] { (1.0 + 4.0) / 2, 0.01 / 2 }, (a, b) => Math.Abs(a - b) < 1e-15);
        LossFunctions.Correct(output, labels, loss, TaskKind.Regression, threshold: 0.01).data<float>().ToArray().Should().Equal(0f, 1f);
    }

    [Fact]
    public void A_classification_example_is_correct_when_the_label_has_the_largest_logit()
    {
        using var scope = NewDisposeScope();
        var logits = tensor(new double[] { 1, 2, 3, 0.5, -1, 2, 0, 5, 0, 10, 0, 0 }, [2, 2, 3]);
        var labels = tensor(new long[] { 2, 0, 1, 1 }, [2, 2]);
        var loss = LossFunctions.PerExample(logits, labels, TaskKind.Classification);

        LossFunctions.Correct(logits, labels, loss, TaskKind.Classification, threshold: 0).data<float>().ToArray().Should().Equal(1f, 0f, 1f, 0f);
    }

    [Fact]
    public void One_hot_regression_is_the_mean_squared_error_against_the_one_hot_target_and_correct_by_argmax()
    {
        using var scope = NewDisposeScope();
        var output = tensor(new double[] { 0.2, 0.9, -0.1, 1, 0, 0 }, [1, 2, 3]);
        var labels = tensor(new long[] { 1, 2 }, [1, 2]);

        var loss = LossFunctions.PerExample(output, labels, TaskKind.OneHotRegression);

        // (0.2^2 + 0.1^2 + 0.1^2) / 3 = 0.02; (1 + 0 + 1) / 3 (PyTorch's MSELoss, mean over the 10 classes per image in OG-6).
        loss.data<double>().ToArray().Should().Equal(new[] { 0.06 / 3, 2.0 / 3 }, (a, b) => Math.Abs(a - b) < 1e-15);
        LossFunctions.Correct(output, labels, loss, TaskKind.OneHotRegression, threshold: 0).data<float>().ToArray().Should().Equal(1f, 0f);
    }
}
