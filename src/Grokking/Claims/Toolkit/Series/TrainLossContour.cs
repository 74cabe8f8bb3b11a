using Grokking.Claims.Analyses;

namespace Grokking.Claims.Toolkit;

/// <summary>
/// Omnigrok's Fig. 6e for one training-set size: the reduced training loss l_train(w, m) over a grid of messiness m
/// (Population:Messiness) and decoder weight norm w (Population:InitScales, the norm held at w times the initial one), read
/// as each member's training loss at the end of its run (the notebook's reading), the median over seeds; and its contour
/// at <c>level</c>, traced row by row: at each m, the w where the loss first falls to the level as w grows, linearly
/// interpolated between grid points (the left edge when it is already below, NaN when it never gets there). The slope of
/// that contour (dw/dm, a least-squares line through the rows that cross) is the paper's theta, read as a number.
/// </summary>
public sealed record TrainLossContour(int Size, double[] Messiness, double[] Norms, double[,] Loss, double[] Crossing)
{
    public static IReadOnlyList<TrainLossContour> Read(ClaimContext landscape, double level)
    {
        var members = landscape.Members;
        if (members.Any(m => m.Messiness is null || m.TrainSamples == 0))
        {
            throw new InvalidOperationException(
                $"{landscape.Claim.Id}: '{landscape.Experiment}' must sweep Population:Messiness and Population:TrainSamples");
        }

        double[] ms = [.. members.Select(m => m.Messiness!.Value).Distinct().Order()];
        double[] ws = [.. members.Select(m => m.InitScale).Distinct().Order()];
        return [.. members.GroupBy(m => m.TrainSamples).OrderBy(g => g.Key).Select(size =>
        {
            var loss = new double[ms.Length, ws.Length];
            for (int i = 0; i < ms.Length; i++)
            {
                for (int j = 0; j < ws.Length; j++)
                {
                    loss[i, j] = MemberSeries.Median(size.Where(m => m.Messiness == ms[i] && m.InitScale == ws[j])
                        .Select(m => FinalTrainLoss(landscape, m.Index)));
                }
            }

            return new TrainLossContour(size.Key, ms, ws, loss, [.. Enumerable.Range(0, ms.Length).Select(i => Cross(ws, loss, i, level))]);
        })];
    }

    /// <summary>A member's training loss at its last metric row before any divergence (NaN without one).</summary>
    private static double FinalTrainLoss(ClaimContext landscape, int member) =>
        MemberSeries.RowsBeforeDivergence(landscape.Result, member) is { Length: > 0 } rows ? rows[^1].TrainLoss : double.NaN;

    /// <summary>Where row <paramref name="row"/> first falls to <paramref name="level"/> as w grows.</summary>
    public static double Cross(double[] ws, double[,] loss, int row, double level)
    {
        if (loss[row, 0] <= level)
        {
            return ws[0];
        }

        for (int j = 1; j < ws.Length; j++)
        {
            if (loss[row, j] <= level)
            {
                double a = loss[row, j - 1], b = loss[row, j];
                return ws[j - 1] + ((ws[j] - ws[j - 1]) * (a - level) / (a - b));
            }
        }

        return double.NaN;
    }

    /// <summary>The contour's w at the smallest m (the most linear representation, where Fig. 6e's green star sits).</summary>
    public double CrossingAtLinear => Crossing.Length == 0 ? double.NaN : Crossing[0];

    /// <summary>dw/dm of the contour: the least-squares slope over the rows it crosses (NaN with fewer than two).</summary>
    public double Slope
    {
        get
        {
            var points = Messiness.Zip(Crossing).Where(p => double.IsFinite(p.Second)).ToList();
            if (points.Count < 2)
            {
                return double.NaN;
            }

            double mx = points.Average(p => p.First), my = points.Average(p => p.Second);
            double sxx = points.Sum(p => (p.First - mx) * (p.First - mx));
            return sxx == 0 ? double.NaN : points.Sum(p => (p.First - mx) * (p.Second - my)) / sxx;
        }
    }
}
