using System.Diagnostics;
using Grokking.Configuration;
using TorchSharp;
using static TorchSharp.torch;

namespace Grokking.Training;

/// <summary>
/// Measures the trainer on a configuration: K = 1 and K = n in one process, the population speed-up over n
/// sequential runs, the matmul roofline of the model's own step (the ceiling the engine is compared with), and where a
/// step's time goes. FLOPs of a training step are counted as 3x the forward's (backward ~ 2x forward).
/// </summary>
public static class TrainingBenchmark
{
    /// <summary>
    /// <paramref name="runs"/> separate runs of one member each, one after another (what a population replaces); steps/s and
    /// epochs/s are the population's equivalent (all runs' epochs done per second).
    /// </summary>
    public static BenchmarkResult Sequential(GrokkingOptions options, int runs, int epochs, Device device, int metricsEvery = 0)
    {
        var clock = Stopwatch.StartNew();
        long steps = 0;
        double flops = 0, cpu = 0;
        for (int r = 0; r < runs; r++)
        {
            var single = Train(options, 1, epochs, device, seedOffset: r, metricsEvery);
            steps += single.Steps;
            flops += single.GflopPerSecond * single.Seconds;
            cpu += single.CpuSeconds;
        }

        // Counted as the population it replaces: one run's steps and epochs, so its rates read against train K=runs.
        double seconds = clock.Elapsed.TotalSeconds;
        long perRun = steps / runs;
        return new BenchmarkResult($"{runs} x K=1", runs, perRun, seconds, perRun / seconds, epochs / seconds, flops / seconds, cpu);
    }

    /// <summary>
    /// K = <paramref name="members"/> (seeds from <paramref name="seedOffset"/>) trained for <paramref name="epochs"/> epochs by
    /// the trainer, timed from its setup to its end. <paramref name="metricsEvery"/> 0 = metrics off: one metric step, the
    /// trainer's last, and no stochastic gradient norm pass; else Train:MetricsEvery as given, with the options' pass.
    /// </summary>
    public static BenchmarkResult Train(GrokkingOptions options, int members, int epochs, Device device, int seedOffset = 0, int metricsEvery = 0)
    {
        var o = Population(options, members, seedOffset);
        o.Train.Epochs = epochs;
        o.Train.Steps = 0;
        o.Train.CheckpointEvery = 0;
        o.Train.StopMarginSteps = -1;
        int batch = MinibatchLoop.EffectiveBatchSize(o.Train.BatchSize, Data.PopulationDataFactory.TrainCount(o.Data));
        long stepsPerEpoch = (Data.PopulationDataFactory.TrainCount(o.Data) + batch - 1) / batch;
        o.Train.MetricsEvery = metricsEvery > 0 ? metricsEvery : (int)Math.Max(1, Math.Min(int.MaxValue, epochs * stepsPerEpoch));
        o.Train.StochasticGradientNorm &= metricsEvery > 0;
        o.Train.StepTraces &= metricsEvery > 0;
        var trainer = new PopulationTrainer(o, PopulationSetup.Members(o), device);
        double cpu = BenchmarkResult.ProcessCpuSeconds();
        var clock = Stopwatch.StartNew();
        var result = trainer.Run();
        double seconds = clock.Elapsed.TotalSeconds;
        cpu = BenchmarkResult.ProcessCpuSeconds() - cpu;
        long steps = result.StepsCompleted;
        double flops = 3.0 * ForwardFlopsPerExample(o) * batch * members * steps;
        return new BenchmarkResult(
            $"train K={members}", members, steps, seconds, steps / seconds, steps / seconds / result.StepsPerEpoch, flops / seconds / 1e9, cpu);
    }

    /// <summary>
    /// The matmul roofline of a training step: GFLOP/s of torch.bmm over K members at exactly the step's matmul shapes
    /// (<see cref="ModelMatmuls.TrainingStep"/>, forward and backward, at the full batch), run back to back for about
    /// <paramref name="seconds"/> in five bursts, the fastest burst's rate kept: a ceiling is what the CPU can do, and on a
    /// shared machine a single long burst measures the neighbours too. Training reaches it only if every other op were free.
    /// </summary>
    public static BenchmarkResult Roofline(GrokkingOptions options, int members, Device device, double seconds = 0.5)
    {
        const int Bursts = 5;
        int batch = MinibatchLoop.EffectiveBatchSize(options.Train.BatchSize, Data.PopulationDataFactory.TrainCount(options.Data));
        var shapes = ModelMatmuls.TrainingStep(options, batch);
        var operands = shapes
            .Select(s => (A: randn([members, s.Rows, s.Inner], device: device), B: randn([members, s.Inner, s.Cols], device: device)))
            .ToList();
        try
        {
            RunMatmuls(operands, device); // warm-up
            var (iterations, elapsed) = Enumerable.Range(0, Bursts)
                .Select(_ => Burst(operands, device, seconds / Bursts))
                .MaxBy(b => b.Iterations / b.Seconds);
            double flops = members * shapes.Sum(s => s.Flops) * iterations;
            return new BenchmarkResult($"roofline K={members}", members, iterations, elapsed, iterations / elapsed, 0, flops / elapsed / 1e9);
        }
        finally
        {
            operands.ForEach(o => { o.A.Dispose(); o.B.Dispose(); });
        }
    }

    /// <summary>Where a step's time goes for K = <paramref name="members"/> (<see cref="StepProfiler"/>), at the options' cadences.</summary>
    public static StepProfile Profile(GrokkingOptions options, int members, int steps, int repeats, Device device) =>
        StepProfiler.Measure(options, members, steps, repeats, device);

    private static (long Iterations, double Seconds) Burst(List<(Tensor A, Tensor B)> operands, Device device, double seconds)
    {
        var clock = Stopwatch.StartNew();
        long iterations = 0;
        while (clock.Elapsed.TotalSeconds < seconds)
        {
            RunMatmuls(operands, device);
            iterations++;
        }

        return (iterations, clock.Elapsed.TotalSeconds);
    }

    private static void RunMatmuls(List<(Tensor A, Tensor B)> operands, Device device)
    {
        foreach (var (a, b) in operands)
        {
            using var c = a.bmm(b);
        }

        if (device.type == DeviceType.CUDA)
        {
            cuda.synchronize();
        }
    }

    /// <summary>Matmul FLOPs of one forward pass of one example, counted for each model kind by its own formula.</summary>
    public static double ForwardFlopsPerExample(GrokkingOptions o)
    {
        var (shape, _, outputs) = Data.PopulationDataFactory.Shape(o.Data);
        return o.Model.Kind switch
        {
            ModelKind.Mlp => MlpForwardFlops((int)shape.Aggregate(1L, (x, y) => x * y), o.Model.Hidden, outputs),
            ModelKind.Transformer => TransformerForwardFlops(o.Model, shape[0], outputs),
            ModelKind.Lstm or ModelKind.Gcnn or ModelKind.ToyAddition => ModelMatmuls.Forward(o, 1).Sum(s => s.Flops),
            _ => throw UnknownKind(o.Model.Kind),
        };
    }

    /// <summary>The model a bench line names, e.g. "MLP 100-100 tanh" or "1-layer transformer d128/mlp512".</summary>
    public static string Describe(ModelOptions model) => model.Kind switch
    {
        ModelKind.Mlp => $"MLP {string.Join("-", model.Hidden)} {model.Activation.ToString().ToLowerInvariant()}",
        ModelKind.Transformer => $"{model.Layers}-layer transformer d{model.DModel}/mlp{model.DMlp}",
        ModelKind.Lstm => $"{model.Layers}-layer LSTM e{model.Embedding}/h{model.DModel}",
        ModelKind.Gcnn => $"GCNN {string.Join("-", model.Hidden)} edge/head {model.DMlp}",
        ModelKind.ToyAddition =>
            $"toy addition e{model.Embedding}, decoder {string.Join("-", model.Hidden)} {model.Activation.ToString().ToLowerInvariant()}",
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

    /// <summary>The options with the transformer at width <paramref name="dModel"/>, its MLP keeping Model:DMlp / Model:DModel.</summary>
    public static GrokkingOptions WithWidth(GrokkingOptions options, int dModel)
    {
        var o = Clone(options);
        o.Model.DMlp = (int)Math.Max(1, Math.Round((double)dModel * options.Model.DMlp / options.Model.DModel));
        o.Model.DModel = dModel;
        return o;
    }

    /// <summary>The options as a population of seeds offset .. offset + members - 1 with no hyperparameter sweep.</summary>
    public static GrokkingOptions Population(GrokkingOptions options, int members, int seedOffset)
    {
        var o = Clone(options);
        o.Population.Seeds = Enumerable.Range(seedOffset, members).ToArray();
        o.Population.WeightDecays = [];
        o.Population.InitScales = [];
        o.Population.LearningRates = [];
        o.Population.TrainFractions = null;
        o.Population.TrainSamples = null;
        return o;
    }

    private static GrokkingOptions Clone(GrokkingOptions o) =>
        System.Text.Json.JsonSerializer.Deserialize<GrokkingOptions>(
            System.Text.Json.JsonSerializer.Serialize(o, RunDirectory.Json), RunDirectory.Json)!;
}
