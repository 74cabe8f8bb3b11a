using Grokking.Configuration;
using Grokking.Data;
using Grokking.Runtime;
using static TorchSharp.torch;

namespace Grokking.Tests.Unit.Reference;

/// <summary>
/// Omnigrok's teacher-student data: each member's Gaussian inputs from its own seed, labelled by one teacher
/// (inputs -> hidden -> hidden -> outputs, tanh, PyTorch's default U(+-1/sqrt(fan_in)) for weights and biases)
/// drawn from the teacher seed; the labels are checked against that teacher evaluated here in scalar code.
/// </summary>
public class TeacherStudentDatasetTests
{
    private static DataOptions Options(params string[] overrides) =>
        ReferenceFixtures.Tiny(["Data:Kind=teacherstudent", "Model:Kind=mlp", "Data:TrainSamples=10", "Data:TestSamples=7", "Data:TeacherSeed=3", .. overrides]).Data;

    [Fact]
    public void Sets_have_the_configured_shapes_and_a_regression_task()
    {
        var o = Options();
        using var data = PopulationDataFactory.Create(o, [5, 6], CPU);

        data.TrainX.shape.Should().Equal(2, 10, 4);
        data.TrainY.shape.Should().Equal(2, 10, 3);
        data.ValX.shape.Should().Equal(2, 7, 4);
        data.ValY.shape.Should().Equal(2, 7, 3);
        data.Task.Should().Be(TaskKind.Regression);
        data.Classes.Should().Be(3);
        data.CorrectThreshold.Should().Be(0.01);
        PopulationDataFactory.Shape(o).Should().BeEquivalentTo((new long[] { 4 }, 0, 3));
    }

    [Fact]
    public void A_members_data_depends_on_its_seed_alone_and_the_teacher_on_the_teacher_seed()
    {
        var o = Options();
        using var pair = PopulationDataFactory.Create(o, [5, 6], CPU);
        using var again = PopulationDataFactory.Create(o, [5, 6], CPU);
        using var alone = PopulationDataFactory.Create(o, [6], CPU);
        using var otherTeacher = PopulationDataFactory.Create(Options("Data:TeacherSeed=4"), [5, 6], CPU);
        using var scope = NewDisposeScope();

        Same(pair.TrainX, again.TrainX).Should().BeTrue();
        Same(pair.ValY, again.ValY).Should().BeTrue();
        Same(pair.TrainX[1], alone.TrainX[0]).Should().BeTrue("member 6's inputs do not depend on the population around it");
        Same(pair.ValY[1], alone.ValY[0]).Should().BeTrue();
        Same(pair.TrainX[0], pair.TrainX[1]).Should().BeFalse("each member draws its own inputs");
        Same(otherTeacher.TrainX, pair.TrainX).Should().BeTrue("the inputs come from the member seeds");
        Same(otherTeacher.TrainY, pair.TrainY).Should().BeFalse("another teacher seed is another teacher");
    }

    [Fact]
    public void Inputs_are_standard_normal()
    {
        using var data = PopulationDataFactory.Create(Options("Data:TrainSamples=4000"), [5], CPU);
        using var scope = NewDisposeScope();
        var x = data.TrainX.reshape(-1).to(ScalarType.Float64).data<double>().ToArray();

        x.Average().Should().BeApproximately(0, 5 / Math.Sqrt(x.Length));
        x.Select(v => v * v).Average().Should().BeApproximately(1, 5 * Math.Sqrt(2.0 / x.Length));
    }

    [Fact]
    public void Labels_are_the_teachers_outputs_on_the_inputs()
    {
        var o = Options();
        using var data = PopulationDataFactory.Create(o, [5, 6], CPU);
        using var scope = NewDisposeScope();
        var teacher = Teacher(o);

        foreach (var (x, y) in new[] { (data.TrainX, data.TrainY), (data.ValX, data.ValY) })
        {
            for (int k = 0; k < 2; k++)
            {
                var inputs = x[k].to(ScalarType.Float64).data<double>().ToArray();
                var labels = y[k].to(ScalarType.Float64).data<double>().ToArray();
                int rows = (int)x.shape[1];
                for (int i = 0; i < rows; i++)
                {
                    var expected = Forward(teacher, inputs.AsSpan(i * 4, 4).ToArray());
                    labels.AsSpan(i * 3, 3).ToArray().Should().Equal(expected, (a, b) => Math.Abs(a - b) < 1e-5, $"member {k}, row {i}");
                }
            }
        }

        data.TrainY.abs().max().item<float>().Should().BeGreaterThan(0.05f, "a non-trivial teacher");
    }

    private static bool Same(Tensor a, Tensor b) => a.shape.SequenceEqual(b.shape) && a.eq(b).all().item<bool>();

    /// <summary>The teacher's layers as PyTorch would draw them from the teacher's generator: weight, then bias, layer by layer.</summary>
    private static List<(double[,] W, double[] B)> Teacher(DataOptions o)
    {
        var g = SeedStreams.Generator(o.TeacherSeed, SeedStreams.Teacher);
        int[] widths = [o.TeacherInputs, o.TeacherHidden, o.TeacherHidden, o.TeacherOutputs];
        var layers = new List<(double[,], double[])>();
        for (int l = 0; l + 1 < widths.Length; l++)
        {
            double bound = 1 / Math.Sqrt(widths[l]);
            using var w = rand([widths[l], widths[l + 1]], generator: g);
            using var b = rand([widths[l + 1]], generator: g);
            var wValues = w.to(ScalarType.Float64).data<double>().ToArray();
            var weight = new double[widths[l], widths[l + 1]];
            for (int i = 0; i < widths[l]; i++)
            {
                for (int j = 0; j < widths[l + 1]; j++)
                {
                    weight[i, j] = (2 * bound * wValues[(i * widths[l + 1]) + j]) - bound;
                }
            }

            layers.Add((weight, b.to(ScalarType.Float64).data<double>().Select(u => (2 * bound * u) - bound).ToArray()));
        }

        return layers;
    }

    private static double[] Forward(List<(double[,] W, double[] B)> layers, double[] x)
    {
        var h = x;
        for (int l = 0; l < layers.Count; l++)
        {
            var (w, b) = layers[l];
            var next = new double[b.Length];
            for (int j = 0; j < next.Length; j++)
            {
                double sum = b[j];
                for (int i = 0; i < h.Length; i++)
                {
                    sum += h[i] * w[i, j];
                }

                next[j] = l + 1 < layers.Count ? Math.Tanh(sum) : sum;
            }

            h = next;
        }

        return h;
    }
}
