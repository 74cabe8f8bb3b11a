using Grokking.Runtime;
using Grokking.Data;
using Grokking.Models;
using Grokking.Training;
using static TorchSharp.torch;

namespace Grokking.Landscape;

/// <summary>
/// Evaluates paths as populations: every t-point of every path is one member of a population model, so a whole
/// 61-point path (or a set of paths) costs about one evaluation pass of a 61-member population, not 61 passes.
/// Points are materialized as coefficients [N, A] times stacked anchors [A, P], per parameter; the points per model
/// are measured (<see cref="PathChunkLayout"/>) and never change a point's value.
/// </summary>
public static class PathEvaluator
{
    public static IReadOnlyList<PathEvaluation> Evaluate(LandscapeSetup setup, IReadOnlyList<WeightPath> paths, IProgress<string>? progress = null)
    {
        var grids = paths.Select(p => p.Grid(setup.Options.Points, setup.Options.PointsPerSegment)).ToList();
        return EvaluateGrids(setup, paths, grids, gradNorm: true, progress);
    }

    /// <summary>
    /// Every path on one given grid of t (a segment's may leave [0, 1]: see <see cref="WeightPath.Coefficients"/>).
    /// Without <paramref name="gradNorm"/> the stochastic gradient norm is not computed (its backward passes over the
    /// training set cost about twice the evaluation) and <see cref="PathPoint.GradNorm"/> is NaN.
    /// </summary>
    public static IReadOnlyList<PathEvaluation> Evaluate(
        LandscapeSetup setup, IReadOnlyList<WeightPath> paths, IReadOnlyList<double> grid, bool gradNorm, IProgress<string>? progress = null) =>
        EvaluateGrids(setup, paths, paths.Select(_ => grid.ToArray()).ToList(), gradNorm, progress);

    private static List<PathEvaluation> EvaluateGrids(
        LandscapeSetup setup, IReadOnlyList<WeightPath> paths, List<double[]> grids, bool gradNorm, IProgress<string>? progress)
    {
        var work = paths.SelectMany((p, i) => grids[i].Select(t => (Path: i, T: t))).ToList();
        var results = new PathPoint[work.Count];
        int reported = 0;
        PathChunkLayout.Walk(setup, gradNorm, work.Count, (start, count) =>
        {
            if (progress is not null && start >= reported)
            {
                progress.Report($"path points {start + 1}-{start + count} of {work.Count}"); // about every tenth of the work
                reported = start + Math.Max(1, work.Count / 10);
            }

            EvaluateChunk(setup, paths, work, start, count, gradNorm).CopyTo(results, start);
        });

        int offset = 0;
        var evaluations = new List<PathEvaluation>();
        for (int i = 0; i < paths.Count; i++)
        {
            var path = paths[i];
            evaluations.Add(new PathEvaluation(path.Label, path.Kind, path.Seed, path.Joins, results[offset..(offset + grids[i].Length)]));
            offset += grids[i].Length;
        }

        return evaluations;
    }

    /// <summary>Weights of the points (path index, t) stacked as a population state: name -> [N, ...].</summary>
    public static Dictionary<string, Tensor> Materialize(IReadOnlyList<WeightPath> paths, IReadOnlyList<(int Path, double T)> points)
    {
        using var noGrad = no_grad();
        var names = paths[points[0].Path].Anchors[0].Tensors.Keys.ToList();
        var state = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (string name in names)
        {
            using var scope = NewDisposeScope();
            var pieces = new List<Tensor>();
            foreach (var group in Runs(points))
            {
                var path = paths[group.Path];
                var anchor0 = path.Anchors[0].Tensors[name];
                var anchors = stack(path.Anchors.Select(a => a.Tensors[name].reshape(-1)).ToArray()); // [A, P]
                var coefficients = tensor(
                    group.Ts.SelectMany(path.Coefficients).ToArray(),
                    [group.Ts.Count, path.Anchors.Count],
                    dtype: anchors.dtype,
                    device: anchors.device);
                pieces.Add(coefficients.matmul(anchors).reshape([group.Ts.Count, .. anchor0.shape]));
            }

            state[name] = cat(pieces, 0).MoveToOuterDisposeScope();
        }

        return state;
    }

    private static PathPoint[] EvaluateChunk(
        LandscapeSetup setup, IReadOnlyList<WeightPath> paths, List<(int Path, double T)> work, int start, int count, bool withGradNorm)
    {
        int n = count;
        var points = work.GetRange(start, count);
        var state = MaterializeInGroups(paths, work, start, count, setup.NumericsMembers);
        try
        {
            var seeds = points.Select(p => paths[p.Path].Seed).ToArray();
            using var model = PopulationModelFactory.Create(n, setup.Model, setup.Data, setup.Device);
            using var data = PopulationDataFactory.Create(setup.Data, seeds, setup.Device, model.DType);
            model.Load(state);
            using var scope = NewDisposeScope();
            // Passes of the former chunk for this many members (bounded activations); the chunk's size is what is measured
            // here, and a measured rows per pass for every member count would time itself inside that measurement.
            long sumRows = PopulationEvaluator.SumRows(setup.NumericsMembers);
            long rowsPerPass = Math.Min(sumRows, PopulationEvaluator.SumRows(n));
            var train = PopulationEvaluator.Evaluate(model, data.TrainX, data.TrainY, data, null, null, sumRows, rowsPerPass);
            var val = PopulationEvaluator.Evaluate(model, data.ValX, data.ValY, data, null, null, sumRows, rowsPerPass);
            var normSq = model.SquaredNorm();
            var gradNorm = withGradNorm ? MeanStochasticGradNorm.Compute(model, data, setup.BatchSize) : full_like(normSq, double.NaN);
            var l2 = normSq.Times(setup.WeightDecay / 2);

            // One host copy per chunk: [8, N].
            var rows = stack([train.Loss, train.Loss.Plus(l2), val.Loss, val.Loss.Plus(l2), train.Accuracy, val.Accuracy, gradNorm, normSq.sqrt()])
                .to(ScalarType.Float64).cpu().data<double>().ToArray();
            double V(int row, int k) => rows[(row * n) + k];
            return Enumerable.Range(0, n).Select(k => new PathPoint(
                points[k].T,
                TrainLoss: V(0, k),
                TrainLossL2: V(1, k),
                ValLoss: V(2, k),
                ValLossL2: V(3, k),
                TrainError: 1 - V(4, k),
                ValError: 1 - V(5, k),
                TrainMistakes: (int)Math.Round((1 - V(4, k)) * data.TrainCount),
                GradNorm: V(6, k),
                WeightNorm: V(7, k))).ToArray();
        }
        finally
        {
            foreach (var t in state.Values)
            {
                t.Dispose();
            }
        }
    }

    /// <summary>
    /// The weights of work[start, start + count): each point is materialized with the others of its group of
    /// <paramref name="group"/> consecutive work points (the matmul's rounding depends on its row count), so it gets
    /// the same bits in every chunk that holds it.
    /// </summary>
    private static Dictionary<string, Tensor> MaterializeInGroups(
        IReadOnlyList<WeightPath> paths, List<(int Path, double T)> work, int start, int count, int group)
    {
        int first = start / group * group;
        int last = Math.Min(work.Count, (start + count + group - 1) / group * group);
        var groups = new List<Dictionary<string, Tensor>>();
        for (int g = first; g < last; g += group)
        {
            groups.Add(Materialize(paths, work.GetRange(g, Math.Min(group, work.Count - g))));
        }

        try
        {
            return groups[0].Keys.ToDictionary(
                name => name,
                name => cat(groups.Select(g => g[name]).ToList(), 0).narrow(0, start - first, count).clone(),
                StringComparer.Ordinal);
        }
        finally
        {
            foreach (var t in groups.SelectMany(g => g.Values))
            {
                t.Dispose();
            }
        }
    }

    /// <summary>Consecutive points of the same path, so each path's anchors are stacked once per chunk.</summary>
    private static IEnumerable<(int Path, List<double> Ts)> Runs(IReadOnlyList<(int Path, double T)> points)
    {
        int i = 0;
        while (i < points.Count)
        {
            int path = points[i].Path;
            var ts = new List<double>();
            while (i < points.Count && points[i].Path == path)
            {
                ts.Add(points[i].T);
                i++;
            }

            yield return (path, ts);
        }
    }
}
