using System.Globalization;
using Grokking.Configuration;
using Grokking.Runtime;
using Grokking.Training;

namespace Grokking.Cli;

/// <summary>grokking bench: engine throughput for K = 1 and K = n, the population speed-up, and bmm GFLOP/s as reference.</summary>
internal static class BenchCommand
{
    public static int Run(GrokkingOptions options, CommandLine cmd)
    {
        var runtime = TorchRuntime.Initialize(options.Runtime.Device, options.Runtime.Threads);
        int population = int.Parse(cmd.Get("--members") ?? "8", CultureInfo.InvariantCulture);
        // The profile's training budget (thousands of epochs) would make every row an hour long; the bench
        // measures rates, so its own default budget keeps the whole command to about a minute on 2 cores.
        int epochs = int.Parse(cmd.Get("--epochs") ?? "20", CultureInfo.InvariantCulture);
        if (epochs < 1)
        {
            throw new OptionsException("--epochs", $"Invalid value for '--epochs': {epochs}; allowed: >= 1");
        }

        string model = options.Model.Kind == ModelKind.Mlp
            ? $"MLP {string.Join("-", options.Model.Hidden)} {options.Model.Activation.ToString().ToLowerInvariant()}"
            : $"{options.Model.Layers}-layer transformer d{options.Model.DModel}/mlp{options.Model.DMlp}";
        Console.WriteLine($"device {runtime.DeviceName}, {runtime.Threads} threads; {epochs} epochs per measurement; {model}, data {options.Data.Kind.ToString().ToLowerInvariant()}, batch {(options.Train.BatchSize == 0 ? "full" : options.Train.BatchSize)}, metrics every {options.Train.MetricsEvery} steps");
        TrainingBenchmark.Train(options, 1, Math.Max(2, epochs / 10), runtime.Device); // warm-up: JIT, allocator, thread pool
        var rows = new List<BenchmarkResult>
        {
            TrainingBenchmark.Train(options, 1, epochs, runtime.Device),
            TrainingBenchmark.Train(options, population, epochs, runtime.Device),
            TrainingBenchmark.Sequential(options, population, epochs, runtime.Device),
            TrainingBenchmark.Matmul(options, 1, runtime.Device),
            TrainingBenchmark.Matmul(options, population, runtime.Device),
        };
        Console.WriteLine($"{"measurement",-14} {"steps/s",10} {"epochs/s",10} {"GFLOP/s",9} {"seconds",8}");
        foreach (var r in rows)
        {
            Console.WriteLine($"{r.Name,-14} {r.StepsPerSecond,10:0.0} {(r.EpochsPerSecond > 0 ? r.EpochsPerSecond.ToString("0.00", CultureInfo.InvariantCulture) : "-"),10} {r.GflopPerSecond,9:0.00} {r.Seconds,8:0.00}");
        }

        Console.WriteLine($"population of {population}: {rows[1].Seconds:0.00} s vs {rows[2].Seconds:0.00} s for {population} runs one after another, measured -> speed-up {rows[2].Seconds / rows[1].Seconds:0.00}x");
        return 0;
    }
}
