using System.Diagnostics;
using Grokking.Data;
using Grokking.Models;
using static TorchSharp.torch;

namespace Grokking.Training;

/// <summary>
/// Rows per forward pass of a split's evaluation, measured on the real model: one big pass leaves the cache (the
/// PB model's single pass of 9,409 rows x 3 members ran 1.6x slower per row than its training batches). Candidates
/// are timed twice, interleaved, on the split's first rows; the fastest per row is kept for the model's shape,
/// member count, split size, device and thread count (<see cref="EvaluationLayout"/>).
/// </summary>
public static class EvaluationRowsCalibration
{
    public const string Kind = "rows per pass";

    /// <summary>Candidate rows per pass (a split smaller than one is evaluated whole).</summary>
    public static readonly IReadOnlyList<int> Candidates = [128, 256, 512, 1024, 2048, 4096];

    /// <summary>Rows each candidate is timed on (at least one pass), so a timing is a few milliseconds, not one pass.</summary>
    private const long TimedRows = 1024;

    public static long RowsPerPass(PopulationModel model, Tensor inputs, Tensor labels, PopulationData data)
    {
        long n = inputs.shape[1];
        long cap = model.MaxEvaluationRows(inputs);
        if (n <= Math.Min(Candidates[0], cap))
        {
            return n;
        }

        if (cap <= Candidates[0])
        {
            return cap;
        }

        string key = Key(model, inputs);
        return EvaluationLayout.Choose(Kind, key, () => Measure(key, model, inputs, labels, data));
    }

    /// <summary>Model class, parameter shapes (members included), input row shape and split size, dtype, device, threads.</summary>
    public static string Key(PopulationModel model, Tensor inputs) =>
        $"{model.GetType().Name}[{string.Join(";", model.Parameters.Select(p => string.Join("x", p.Value.shape)))}] "
        + $"rows {inputs.shape[1]} x [{string.Join("x", inputs.shape.Skip(2))}] {model.DType} {model.Device} threads {get_num_threads()}";

    private static LayoutChoice Measure(string key, PopulationModel model, Tensor inputs, Tensor labels, PopulationData data)
    {
        long n = inputs.shape[1];
        long largest = Math.Min(n, Math.Min(Candidates[^1], model.MaxEvaluationRows(inputs)));
        var sizes = Candidates.Where(r => r < largest).Select(r => (long)r).Append(largest).Distinct().ToList();
        var best = sizes.ToDictionary(r => r, _ => double.PositiveInfinity);
        using var noGrad = no_grad();
        Time(model, inputs, labels, data, sizes[0], sizes[0]); // warm-up: the first pass allocates
        for (int round = 0; round < 2; round++)
        {
            foreach (long r in sizes)
            {
                long rows = Math.Min(n, Math.Max(r, TimedRows));
                best[r] = Math.Min(best[r], Time(model, inputs, labels, data, r, rows) / rows);
            }
        }

        long chosen = best.MinBy(b => b.Value).Key;
        return new LayoutChoice(Kind, key, (int)chosen, best.Select(b => ((int)b.Key, b.Value)).ToList());
    }

    /// <summary>Seconds to evaluate the first <paramref name="rows"/> rows in passes of <paramref name="size"/>.</summary>
    private static double Time(PopulationModel model, Tensor inputs, Tensor labels, PopulationData data, long size, long rows)
    {
        var clock = Stopwatch.StartNew();
        for (long start = 0; start < rows; start += size)
        {
            using var scope = NewDisposeScope();
            long count = Math.Min(size, rows - start);
            var y = labels.narrow(1, start, count);
            var output = model.forward(data.Represent(inputs.narrow(1, start, count), y));
            var perExample = LossFunctions.PerExample(output, y, data.Task);
            var correct = LossFunctions.Correct(output, y, perExample, data.Task, data.CorrectThreshold, data.Templates);
            correct.sum().to(ScalarType.Float64).item<double>(); // waits for a GPU
        }

        return clock.Elapsed.TotalSeconds;
    }
}
