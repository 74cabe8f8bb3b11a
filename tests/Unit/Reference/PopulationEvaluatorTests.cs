using Grokking.Configuration;
using Grokking.Data;
using Grokking.Models;
using Grokking.Training;
using static TorchSharp.torch;

namespace Grokking.Tests.Unit.Reference;

/// <summary>Split loss and accuracy per member against a hand computation, on a literal case and across evaluation chunks.</summary>
public class PopulationEvaluatorTests
{
    [Fact]
    public void Loss_and_accuracy_of_a_hand_set_linear_model()
    {
        var o = ReferenceFixtures.Tiny("Model:Kind=mlp", "Data:Kind=teacherstudent", "Model:Hidden=[]");
        using var model = new PopulationMlp(2, o.Model, inputs: 2, outputs: 3, CPU, ScalarType.Float64);
        using var scope = NewDisposeScope();
        model.Load(new Dictionary<string, Tensor>
        {
            ["layers.0.weight"] = tensor(new double[] { 1, 0, -1, 0, 1, 0, /* member 1 */ 0, 1, 0, 1, 0, 0 }, [2, 2, 3]),
            ["layers.0.bias"] = tensor(new double[] { 0, 0, 0.5, 0.2, 0, 0 }, [2, 3]),
        });
        var x = tensor(new double[] { 1, 0, 0, 2, -1, -1, /* member 1 */ 1, 0, 0, 1, 2, 2 }, [2, 3, 2]);
        var y = tensor(new long[] { 0, 1, 2, 0, 0, 1 }, [2, 3]);
        using var data = new PopulationData(TaskKind.Classification, x.clone(), y.clone(), x.clone(), y.clone(), classes: 3);

        var metrics = PopulationEvaluator.Evaluate(model, x, y, data);

        // Logits x W + b. Member 0: [1, 0, -0.5], [0, 2, 0.5], [-1, -1, 1.5]: all argmaxes right.
        // Member 1: [0.2, 1, 0], [1.2, 0, 0], [2.2, 2, 0]: only the second is right.
        double[][] logits0 = [[1, 0, -0.5], [0, 2, 0.5], [-1, -1, 1.5]];
        double[][] logits1 = [[0.2, 1, 0], [1.2, 0, 0], [2.2, 2, 0]];
        double loss0 = (CrossEntropy(logits0[0], 0) + CrossEntropy(logits0[1], 1) + CrossEntropy(logits0[2], 2)) / 3;
        double loss1 = (CrossEntropy(logits1[0], 0) + CrossEntropy(logits1[1], 0) + CrossEntropy(logits1[2], 1)) / 3;
        metrics.Loss.data<double>().ToArray().Should().Equal(new[] { loss0, loss1 }, (a, b) => Math.Abs(a - b) < 1e-12);
        metrics.Accuracy.data<float>().ToArray().Should().Equal(new[] { 1f, 1f / 3 }, (a, b) => Math.Abs(a - b) < 1e-6);
    }

    [Theory]
    [InlineData("transformer")]
    [InlineData("mlp")]
    public void Metrics_over_several_chunks_equal_per_example_references(string kind)
    {
        // 300 examples per member: more than one chunk of RowsPerChunk / K = 256 rows.
        const int n = 300;
        var o = kind == "mlp" ? ReferenceFixtures.Tiny("Model:Kind=mlp", "Data:Kind=teacherstudent") : ReferenceFixtures.Tiny("Model:Norm=layernorm");
        using var model = ReferenceFixtures.Float64Model(o, [1, 2]);
        using var scope = NewDisposeScope();
        var (x, y, task) = ReferenceFixtures.Batch(o, members: 2, batch: n, seed: 31);
        if (task == TaskKind.Regression)
        {
            // Labels near the predictions, so that some examples fall under the 0.01 threshold and some do not.
            using var noGrad = no_grad();
            y = model.forward(x).add(randn(y.shape, ScalarType.Float64, generator: new TorchSharp.torch.Generator(3)).mul_(0.1));
        }

        using var data = new PopulationData(task, x.clone(), y.clone(), x.clone(), y.clone(), PopulationDataFactory.Shape(o.Data).Outputs, TeacherStudentDataset.CorrectThreshold);
        var metrics = PopulationEvaluator.Evaluate(model, x, y, data);

        for (int k = 0; k < 2; k++)
        {
            using var noGrad = no_grad();
            var member = ReferenceFixtures.Member(model, k);
            var output = (kind == "mlp" ? ReferenceFixtures.MlpReference(member, x[k], o.Model) : ReferenceFixtures.TransformerReference(member, x[k], o.Model)).data<double>().ToArray();
            int width = output.Length / n;
            double lossSum = 0;
            int correct = 0;
            for (int i = 0; i < n; i++)
            {
                var row = output.AsSpan(i * width, width).ToArray();
                if (task == TaskKind.Classification)
                {
                    long label = y[k, i].item<long>();
                    lossSum += CrossEntropy(row, label);
                    correct += Array.IndexOf(row, row.Max()) == label ? 1 : 0;
                }
                else
                {
                    var target = y[k, i].data<double>().ToArray();
                    double mse = row.Select((v, j) => (v - target[j]) * (v - target[j])).Average();
                    lossSum += mse;
                    correct += mse < TeacherStudentDataset.CorrectThreshold ? 1 : 0;
                }
            }

            correct.Should().BeInRange(1, n - 1, "a split with both outcomes checks the counting");
            metrics.Loss[k].item<double>().Should().BeApproximately(lossSum / n, 1e-12 * (lossSum / n), $"member {k}");
            metrics.Accuracy[k].item<float>().Should().BeApproximately((float)correct / n, 1e-6f, $"member {k}");
        }
    }

    private static double CrossEntropy(double[] logits, long label)
    {
        double max = logits.Max();
        return max + Math.Log(logits.Sum(z => Math.Exp(z - max))) - logits[label];
    }
}
