using System.Globalization;
using Grokking.Configuration;
using Grokking.Landscape;
using Grokking.Runtime;
using Grokking.Training;

namespace Grokking.Cli;

/// <summary>
/// The bench for one model: its measurement table (training K = 1, K = n, n runs one after another, the roofline of the
/// model's matmuls, path evaluation), the speed-ups, the PyTorch rows and the step profile.
/// </summary>
internal sealed class BenchSection(GrokkingOptions options, BenchSettings settings, RuntimeInfo runtime, string? python, TextWriter output)
{
    private static readonly TimeSpan PyTorchTimeout = TimeSpan.FromMinutes(15);

    /// <summary>
    /// Timed runs of one model, engine and PyTorch alike, the fastest kept: a K = 1 run takes a second or two, short enough
    /// for another process on a shared machine to halve it; the populations run long enough to average it out.
    /// </summary>
    private const int SingleModelRepeats = 3;

    /// <summary>The models a bench measures: the transformer at each width asked for, any other kind as configured.</summary>
    public static IEnumerable<GrokkingOptions> Models(GrokkingOptions options, IReadOnlyList<int> widths) =>
        options.Model.Kind == ModelKind.Transformer ? widths.Select(d => TrainingBenchmark.WithWidth(options, d)) : [options];

    public void Run()
    {
        var device = runtime.Device;
        int k = settings.Members;
        int metricsEvery = settings.WithMetrics ? options.Train.MetricsEvery : 0;
        output.WriteLine();
        output.WriteLine($"== {TrainingBenchmark.Describe(options.Model)} (K=1 rows, engine and PyTorch: fastest of {SingleModelRepeats} runs) ==");
        TrainingBenchmark.Train(options, 1, Math.Max(2, settings.Epochs / 10), device); // warm-up: JIT, allocator, thread pool
        var one = Enumerable.Range(0, SingleModelRepeats)
            .Select(_ => TrainingBenchmark.Train(options, 1, settings.Epochs, device, metricsEvery: metricsEvery))
            .MaxBy(r => r.StepsPerSecond)!;
        MemberChunks(k);
        var population = TrainingBenchmark.Train(options, k, settings.Epochs, device, metricsEvery: metricsEvery);
        var sequential = TrainingBenchmark.Sequential(options, k, settings.Epochs, device, metricsEvery);
        var roofOne = TrainingBenchmark.Roofline(options, 1, device);
        var roofK = TrainingBenchmark.Roofline(options, k, device);
        var (path, pointByPoint) = LandscapeBenchmark.Path(options, settings.PathPoints, device);
        var table = new BenchTable(output);
        table.Header();
        table.Row(one, roofOne);
        table.Row(population, roofK);
        table.Row(sequential, roofOne);
        table.Row(roofOne, null);
        table.Row(roofK, null);
        table.Row(path, null);
        table.Row(pointByPoint, null);
        output.WriteLine(
            $"population of {k}: {population.Seconds:0.00} s vs {sequential.Seconds:0.00} s for {k} runs one after another, "
            + $"measured -> speed-up {sequential.Seconds / population.Seconds:0.00}x");
        output.WriteLine(
            $"path of {settings.PathPoints} points (losses, errors, stochastic gradient norm): {path.Seconds:0.00} s in populations "
            + $"({path.Name}) vs {pointByPoint.Seconds:0.00} s one point at a time -> {pointByPoint.Seconds / path.Seconds:0.00}x");
        output.WriteLine(EvaluationLayout.Describe());
        PyTorch(table, one, population, roofOne, roofK);
        Profile(one);
    }

    /// <summary>
    /// The members per chunk a population of <paramref name="k"/> takes here, measured as a run measures it (the population
    /// row below trains in that layout); one chunk where layouts are not bit-identical.
    /// </summary>
    private void MemberChunks(int k)
    {
        if (!MemberChunkLayout.LayoutInvariant(runtime.Device))
        {
            output.WriteLine($"members per chunk: {k} (one population: chunk layouts compute the same bits only on one CPU thread)");
            return;
        }

        var population = TrainingBenchmark.Population(options, k, 0);
        var timings = MemberChunkLayout.Measure(population, PopulationSetup.Members(population), runtime.Device);
        output.WriteLine($"members per chunk, measured: {timings}");
    }

    /// <summary>The same training in PyTorch, eager and through vmap, with the engine's speed over it; or why there is none.</summary>
    private void PyTorch(BenchTable table, BenchmarkResult one, BenchmarkResult population, BenchmarkResult roofOne, BenchmarkResult roofK)
    {
        string? unsupported = PyTorchRequest.Unsupported(options, runtime.Device.type == TorchSharp.DeviceType.CPU);
        if (unsupported is not null || python is null)
        {
            output.WriteLine(
                unsupported is null ? PyTorchReference.NotAvailable(settings.ShownInterpreter) : $"PyTorch: not compared ({unsupported})");
            return;
        }

        var request = PyTorchRequest.Of(options, settings.Members, settings.Epochs, runtime.Threads, SingleModelRepeats);
        var run = PyTorchReference.Run(python, request, PyTorchTimeout);
        foreach (string problem in run.Problems)
        {
            output.WriteLine($"PyTorch: {problem}");
        }

        if (run.Measurements.Count == 0)
        {
            return;
        }

        var first = run.Measurements[0];
        output.WriteLine(
            $"PyTorch {first.TorchVersion} ({python}, {first.Threads} threads, BLAS {first.Blas}); the same model, data, batch and SGD:");
        if (!first.OpenBlas)
        {
            output.WriteLine(
                "PyTorch note: its BLAS is not OpenBLAS (Debian's default reference BLAS is many times slower): install libopenblas0-pthread");
        }

        Compare(table, run.EagerMeasurement, one, roofOne);
        Compare(table, run.VmapMeasurement, population, roofK);
        if (settings.WithMetrics)
        {
            output.WriteLine($"(the engine's rows record metrics every {options.Train.MetricsEvery} steps; PyTorch's evaluate once, at the end)");
        }
    }

    private void Compare(BenchTable table, PyTorchMeasurement? measured, BenchmarkResult engine, BenchmarkResult roofline)
    {
        if (measured is null)
        {
            return;
        }

        // The same steps of the same model: the engine's FLOPs per step, at PyTorch's step rate.
        double gflopPerStep = engine.GflopPerSecond / engine.StepsPerSecond;
        var row = new BenchmarkResult(
            measured.Label, measured.Members, measured.Steps, measured.Seconds, measured.StepsPerSecond, measured.EpochsPerSecond,
            gflopPerStep * measured.StepsPerSecond, measured.CpuSeconds);
        table.Row(row, roofline);
        // Per CPU-second too: both ran the same epochs, and their CPU time moves less with a shared machine's load.
        double ratio = engine.EpochsPerSecond / measured.EpochsPerSecond;
        double cpuRatio = measured.CpuSeconds / engine.CpuSeconds;
        output.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"  -> engine {engine.Name}: {engine.EpochsPerSecond:0.00} epochs/s = {ratio:0.00}x {measured.Label} ({cpuRatio:0.00}x per CPU-second)"));
    }

    /// <summary>Where a step's time goes for K = 1 and K = n, at the configured metric and checkpoint cadences.</summary>
    private void Profile(BenchmarkResult one)
    {
        var device = runtime.Device;
        var profiles = new[]
        {
            TrainingBenchmark.Profile(options, 1, 128, 3, device),
            // The population's metric-step phases take seconds each at d128: timed once, after one untimed call.
            TrainingBenchmark.Profile(options, settings.Members, Math.Max(8, 128 / settings.Members), 1, device),
        };
        var train = options.Train;
        output.WriteLine(
            $"step profile (ms per call; per step at Train:MetricsEvery = {train.MetricsEvery}, Train:CheckpointEvery = {train.CheckpointEvery}, "
            + $"stochastic gradient norm {(train.StochasticGradientNorm ? "on" : "off")}; 'off': not run by this setup, its cost if it were):");
        foreach (string line in StepProfile.Format(profiles))
        {
            output.WriteLine(line);
        }

        double perStep = profiles[0].Phases.Where(p => p.Every == 1).Sum(p => p.MsPerStep);
        double trainerStep = 1000 / one.StepsPerSecond;
        output.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"check: K=1's per-step phases sum to {perStep:0.000} ms; train K=1 took {trainerStep:0.000} ms a step (with setup and an evaluation)"));
    }
}
