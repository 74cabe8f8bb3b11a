using System.Diagnostics;
using Grokking.Configuration;
using TorchSharp;
using static TorchSharp.torch;

namespace Grokking.Training;

/// <summary>
/// Measures the trainer on a configuration: K = 1 and K = n in one process, the population speed-up over n
/// sequential runs, and a plain batched matmul's GFLOP/s as the ceiling the engine is compared with.
/// FLOPs of a training step are estimated as 3x the forward's matmul FLOPs (backward ~ 2x forward).
/// </summary>
public static class TrainingBenchmark
{
    /// <summary><paramref name="runs"/> separate runs of one member each, one after another (what a population replaces).</summary>
    public static BenchmarkResult Sequential(GrokkingOptions options, int runs, int epochs, Device device)
    {
        var clock = Stopwatch.StartNew();
        long steps = 0;
        double flops = 0;
        for (int r = 0; r < runs; r++)
        {
            var single = Train(options, 1, epochs, device, seedOffset: r);
            steps += single.Steps;
            flops += single.GflopPerSecond * single.Seconds;
        }

        double seconds = clock.Elapsed.TotalSeconds;
        double perRun = steps / (double)runs;
        return new BenchmarkResult($"{runs} x K=1", runs, steps, seconds, steps / seconds, steps / seconds / (perRun / epochs), flops / seconds);
    }

    public static BenchmarkResult Train(GrokkingOptions options, int members, int epochs, Device device, int seedOffset = 0)
    {
        var o = Clone(options);
        o.Population.Seeds = Enumerable.Range(seedOffset, members).ToArray();
        o.Population.WeightDecays = [];
        o.Population.InitScales = [];
        o.Population.LearningRates = [];
        o.Train.Epochs = epochs;
        o.Train.Steps = 0;
        o.Train.CheckpointEvery = 0;
        o.Train.StopMarginSteps = -1;
        var trainer = new PopulationTrainer(o, PopulationSetup.Members(o), device);
        var clock = Stopwatch.StartNew();
        var result = trainer.Run();
        double seconds = clock.Elapsed.TotalSeconds;
        long steps = result.StepsCompleted;
        int batch = MinibatchLoop.EffectiveBatchSize(o.Train.BatchSize, Data.PopulationDataFactory.TrainCount(o.Data));
        double flops = 3.0 * ForwardFlopsPerExample(o) * batch * members * steps;
        return new BenchmarkResult(
            $"train K={members}", members, steps, seconds, steps / seconds, steps / seconds / result.StepsPerEpoch, flops / seconds / 1e9);
    }

    /// <summary>GFLOP/s of torch.bmm at the shapes of the MLP block (the engine's largest matmuls).</summary>
    public static BenchmarkResult Matmul(GrokkingOptions options, int members, Device device, double seconds = 1.0)
    {
        long rows = Math.Min(options.Train.BatchSize == 0 ? 4096 : options.Train.BatchSize, 4096) * 2L;
        using var a = randn([members, rows, options.Model.DModel], device: device);
        using var b = randn([members, options.Model.DModel, options.Model.DMlp], device: device);
        using (var warm = a.bmm(b))
        {
        }

        var clock = Stopwatch.StartNew();
        long iterations = 0;
        while (clock.Elapsed.TotalSeconds < seconds)
        {
            using var c = a.bmm(b);
            if (device.type == DeviceType.CUDA)
            {
                cuda.synchronize();
            }

            iterations++;
        }

        double elapsed = clock.Elapsed.TotalSeconds;
        double flops = 2.0 * members * rows * options.Model.DModel * options.Model.DMlp * iterations;
        return new BenchmarkResult($"bmm K={members}", members, iterations, elapsed, iterations / elapsed, 0, flops / elapsed / 1e9);
    }

    /// <summary>Matmul FLOPs of one forward pass of one example, counted for each model kind by its own formula.</summary>
    public static double ForwardFlopsPerExample(GrokkingOptions o)
    {
        var (shape, _, outputs) = Data.PopulationDataFactory.Shape(o.Data);
        return o.Model.Kind switch
        {
            ModelKind.Mlp => MlpForwardFlops((int)shape.Aggregate(1L, (x, y) => x * y), o.Model.Hidden, outputs),
            ModelKind.Transformer => TransformerForwardFlops(o.Model, shape[0], outputs),
            _ => throw UnknownKind(o.Model.Kind),
        };
    }

    /// <summary>The model a bench line names, e.g. "MLP 100-100 tanh" or "1-layer transformer d128/mlp512".</summary>
    public static string Describe(ModelOptions model) => model.Kind switch
    {
        ModelKind.Mlp => $"MLP {string.Join("-", model.Hidden)} {model.Activation.ToString().ToLowerInvariant()}",
        ModelKind.Transformer => $"{model.Layers}-layer transformer d{model.DModel}/mlp{model.DMlp}",
        _ => throw UnknownKind(model.Kind),
    };

    private static double MlpForwardFlops(int inputs, int[] hidden, int outputs)
    {
        int[] widths = [inputs, .. hidden, outputs];
        return widths.Zip(widths.Skip(1), (x, y) => 2.0 * x * y).Sum();
    }

    /// <summary>
    /// Earlier layers process every position; the last one keys/values every position but queries, output
    /// projection and MLP only the read-out position (see PopulationTransformer).
    /// </summary>
    private static double TransformerForwardFlops(ModelOptions model, double n, int outputs)
    {
        double d = model.DModel;
        double fullLayer = n * ((2 * 4 * d * d) + (2 * 2 * d * model.DMlp) + (2 * 2 * n * d));
        double lastLayer = (n * 2 * 2 * d * d) + (2 * 2 * d * d) + (2 * 2 * d * model.DMlp) + (2 * 2 * n * d);
        return ((model.Layers - 1) * fullLayer) + lastLayer + (2 * d * outputs);
    }

    private static ArgumentOutOfRangeException UnknownKind(ModelKind kind) =>
        new(nameof(kind), kind, $"Model:Kind = {kind} has no FLOP count or description in the bench; add one for the new kind");

    private static GrokkingOptions Clone(GrokkingOptions o) =>
        System.Text.Json.JsonSerializer.Deserialize<GrokkingOptions>(
            System.Text.Json.JsonSerializer.Serialize(o, RunDirectory.Json), RunDirectory.Json)!;
}
