using Grokking.Runtime;
using Grokking.Configuration;
using static TorchSharp.torch;

namespace Grokking.Data;

/// <summary>
/// Omnigrok's teacher-student regression: Gaussian inputs x ~ N(0, I) labelled by a fixed random teacher MLP
/// (inputs -> hidden -> hidden -> outputs, tanh, PyTorch's default initialization) drawn from Data:TeacherSeed,
/// shared by every member. Each member draws its own train and test inputs from its own seed.
/// A prediction counts as correct when its mean squared error is below 0.01 (OG-2: "prediction error below 0.01").
/// </summary>
public static class TeacherStudentDataset
{
    public const double CorrectThreshold = 0.01;

    public static PopulationData Create(DataOptions options, IReadOnlyList<long> seeds, Device device)
    {
        // Everything built here but the four returned tensors is disposed with this scope.
        using var scope = NewDisposeScope();
        var teacher = Teacher(options);
        var trainX = new List<Tensor>();
        var trainY = new List<Tensor>();
        var valX = new List<Tensor>();
        var valY = new List<Tensor>();
        foreach (long seed in seeds)
        {
            using var g = SeedStreams.Generator(options.SplitSeed >= 0 ? options.SplitSeed : seed, SeedStreams.Inputs);
            var xTrain = randn([options.TrainSamples, options.TeacherInputs], generator: g);
            var xTest = randn([options.TestSamples, options.TeacherInputs], generator: g);
            trainX.Add(xTrain);
            valX.Add(xTest);
            trainY.Add(teacher(xTrain));
            valY.Add(teacher(xTest));
        }

        Tensor Keep(List<Tensor> parts) => stack(parts).to(device).MoveToOuterDisposeScope();
        return new PopulationData(TaskKind.Regression, Keep(trainX), Keep(trainY), Keep(valX), Keep(valY), options.TeacherOutputs, CorrectThreshold);
    }

    private static Func<Tensor, Tensor> Teacher(DataOptions options)
    {
        var g = SeedStreams.Generator(options.TeacherSeed, SeedStreams.Teacher);
        int[] widths = [options.TeacherInputs, options.TeacherHidden, options.TeacherHidden, options.TeacherOutputs];
        var layers = new List<(Tensor W, Tensor B)>();
        for (int i = 0; i + 1 < widths.Length; i++)
        {
            double bound = 1.0 / Math.Sqrt(widths[i]);
            // U(-bound, bound), the weight drawn before the bias.
            var weight = rand([widths[i], widths[i + 1]], generator: g).mul(2 * bound).sub(bound);
            var bias = rand([widths[i + 1]], generator: g).mul(2 * bound).sub(bound);
            layers.Add((weight, bias));
        }

        return x =>
        {
            using var scope = NewDisposeScope();
            var h = x;
            for (int i = 0; i < layers.Count; i++)
            {
                h = h.matmul(layers[i].W).Plus(layers[i].B);
                if (i + 1 < layers.Count)
                {
                    h = h.tanh();
                }
            }

            return h.MoveToOuterDisposeScope();
        };
    }
}
