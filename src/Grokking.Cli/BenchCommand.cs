using System.CommandLine;
using System.Globalization;
using Grokking.Configuration;
using Grokking.Data;
using Grokking.Landscape;
using Grokking.Runtime;
using Grokking.Training;

namespace Grokking.Cli;

/// <summary>grokking bench: engine throughput for K = 1 and K = n, the population speed-up, and bmm GFLOP/s as reference.</summary>
internal static class BenchCommand
{
    public static Command Create(SharedOptions shared)
    {
        var members = OptionRules.PositiveInt("--members", "N", 8, "population size N compared with K = 1");
        var points = OptionRules.PositiveInt("--path-points", "P", 61, "points of the straight segment evaluated as one population vs one at a time");

        // The profile's training budget (thousands of epochs) would make every row an hour long; the bench
        // measures rates, so its own default budget keeps the whole command to about a minute on 2 cores.
        var epochs = OptionRules.PositiveInt("--epochs", "E", 20, "epochs per measurement (the default takes about a minute in all on 2 cores)");

        var command = new Command("bench", "steps/s, epochs/s and GFLOP/s for K = 1 and K = N members vs a plain bmm") { members, epochs, points };
        command.SetAction(parsed => Run(
            shared.Load(parsed), parsed.GetValue(members), parsed.GetValue(epochs), parsed.GetValue(points), parsed.InvocationConfiguration.Output));
        return command;
    }

    private static int Run(GrokkingOptions options, int population, int epochs, int pathPoints, TextWriter output)
    {
        ResourceGuard.Check(options, AvailableMemory.Read(), "bench", population);
        var runtime = TorchRuntime.Initialize(options.Runtime.Device, options.Runtime.Threads);
        string model = TrainingBenchmark.Describe(options.Model);
        string data = options.Data.Kind.ToString().ToLowerInvariant();
        string batch = options.Train.BatchSize == 0 ? "full" : options.Train.BatchSize.ToString(CultureInfo.CurrentCulture);
        output.WriteLine(
            $"device {runtime.DeviceName}, {runtime.Threads} threads; {epochs} epochs per measurement; {model}, data {data}, batch {batch}, "
            + $"metrics every {options.Train.MetricsEvery} steps");
        TrainingBenchmark.Train(options, 1, Math.Max(2, epochs / 10), runtime.Device); // warm-up: JIT, allocator, thread pool
        var rows = new List<BenchmarkResult>
        {
            TrainingBenchmark.Train(options, 1, epochs, runtime.Device),
            TrainingBenchmark.Train(options, population, epochs, runtime.Device),
            TrainingBenchmark.Sequential(options, population, epochs, runtime.Device),
            TrainingBenchmark.Matmul(options, 1, runtime.Device),
            TrainingBenchmark.Matmul(options, population, runtime.Device),
        };
        var (batchedPath, pointByPoint) = LandscapeBenchmark.Path(options, pathPoints, runtime.Device);
        rows.Add(batchedPath);
        rows.Add(pointByPoint);
        output.WriteLine($"{"measurement",-14} {"steps/s",10} {"epochs/s",10} {"GFLOP/s",9} {"seconds",8}");
        foreach (var r in rows)
        {
            string epochsPerSecond = r.EpochsPerSecond > 0 ? r.EpochsPerSecond.ToString("0.00", CultureInfo.InvariantCulture) : "-";
            output.WriteLine($"{r.Name,-14} {r.StepsPerSecond,10:0.0} {epochsPerSecond,10} {r.GflopPerSecond,9:0.00} {r.Seconds,8:0.00}");
        }

        output.WriteLine(
            $"population of {population}: {rows[1].Seconds:0.00} s vs {rows[2].Seconds:0.00} s for {population} runs one after another, "
            + $"measured -> speed-up {rows[2].Seconds / rows[1].Seconds:0.00}x");
        output.WriteLine(
            $"path of {pathPoints} points (losses, errors, stochastic gradient norm): {batchedPath.Seconds:0.00} s in populations "
            + $"({batchedPath.Name}) vs {pointByPoint.Seconds:0.00} s one point at a time -> {pointByPoint.Seconds / batchedPath.Seconds:0.00}x");
        ProjectSuite(options, runtime, output);
        return 0;
    }

    /// <summary>The suite's minutes projected from the recorded costs (issue 27), and what is left of the 45 it may take.</summary>
    private static void ProjectSuite(GrokkingOptions options, RuntimeInfo runtime, TextWriter output)
    {
        var (projection, warning) = Grokking.Claims.Scheduling.SuiteProjection.ForRepository(
            Grokking.Claims.RepositoryLocator.Find(), options.Profile, options.Runtime, runtime.Device, Environment.ProcessorCount);
        if (warning is not null)
        {
            output.WriteLine($"projected {options.Profile.Name} suite: none ({warning})");
            return;
        }

        output.WriteLine(
            $"projected {options.Profile.Name} suite (claims, from baselines/{options.Profile.Name}/costs.json): {projection.Minutes:0.0} min on "
            + $"{projection.Lanes} lane(s), {projection.Workers} busy thread(s) at most; minutes left of 45: {45 - projection.Minutes:0.0}"
            + (projection.Unknown.Count > 0 ? $" ({projection.Unknown.Count} without a recorded cost, counted as 0)" : ""));
        foreach (string line in projection.TimelineLines())
        {
            output.WriteLine($"  {line}");
        }
    }
}
