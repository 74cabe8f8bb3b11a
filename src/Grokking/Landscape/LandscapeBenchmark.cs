using System.Diagnostics;
using Grokking.Configuration;
using Grokking.Models;
using Grokking.Training;
using static TorchSharp.torch;

namespace Grokking.Landscape;

/// <summary>
/// Measures path evaluation on a configuration's model: a straight segment of N points evaluated in populations of
/// Landscape:MaxMembers points, or as many as <see cref="PathChunkLayout"/> measured on a first (untimed) evaluation,
/// against the same N points evaluated one model at a time. Steps = points evaluated.
/// </summary>
public static class LandscapeBenchmark
{
    public static (BenchmarkResult Batched, BenchmarkResult OneAtATime) Path(GrokkingOptions options, int points, Device device)
    {
        using var model = PopulationModelFactory.Create(2, options.Model, options.Data, device);
        model.Initialize([0, 1], [1.0, 1.0]);
        using var start = WeightVector.Of(model, 0, "start", 0);
        using var end = WeightVector.Of(model, 1, "end", 0);
        var path = WeightPath.Segment(start, end, "bench");
        var member = new MemberSpec(0, 0, options.Optimizer.LearningRate, options.Optimizer.WeightDecay, 1.0);
        var batched = LandscapeSetup.Of(options, member, device) with
        {
            Options = new LandscapeOptions { Points = points, MaxMembers = options.Landscape.MaxMembers },
        };
        var single = batched with { Options = new LandscapeOptions { Points = points, MaxMembers = 1 } };
        PathEvaluator.Evaluate(batched, [path]); // warm-up, and the measurement of the points per model when not fixed
        int members = batched.FixedMembersPerChunk ?? EvaluationLayout.Find(PathChunkLayout.Kind, PathChunkLayout.Key(batched, gradNorm: true)) ?? 0;
        var inPopulations = Time($"path {points}/{members}", points, () => PathEvaluator.Evaluate(batched, [path]));
        var pointByPoint = Time($"{points} x 1 pt", points, () => PathEvaluator.Evaluate(single, [path]));
        return (inPopulations, pointByPoint);
    }

    private static BenchmarkResult Time(string name, int points, Action evaluate)
    {
        double cpu = BenchmarkResult.ProcessCpuSeconds();
        var clock = Stopwatch.StartNew();
        evaluate();
        double seconds = clock.Elapsed.TotalSeconds;
        return new BenchmarkResult(name, points, points, seconds, points / seconds, 0, 0, BenchmarkResult.ProcessCpuSeconds() - cpu);
    }
}
