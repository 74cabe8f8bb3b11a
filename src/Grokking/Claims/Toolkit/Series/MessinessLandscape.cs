using System.Globalization;
using Grokking.Claims.Analyses;
using Grokking.Training;

namespace Grokking.Claims.Toolkit;

/// <summary>
/// One seed's reduced loss landscapes over the (w, m) plane (Omnigrok Eq. 5, Fig. 6a/b and 8a/b): each member trained at
/// its own weight norm alpha = w / w0 (held fixed) and representation messiness m; its reduced train and test losses are
/// the lowest train and validation loss over the run's metric rows (the MNIST messiness notebook keeps the best loss it
/// saw), read at most at the zero network's loss on the same split (<see cref="ZeroOutputLoss"/>): a member that ends
/// worse than an output of zeros has fitted nothing, which Omnigrok's figure shows at the top of its colour scale, the
/// zero network's loss, however far beyond it the member sits. <c>Train[i, j]</c> is the cell at <c>Alphas[i]</c>,
/// <c>Messiness[j]</c>; any run whose members are keyed by InitScale and Messiness and record the standard loss metrics
/// reads the same way.
/// </summary>
/// <param name="Zero">The zero network's train and test loss on this seed's data: the level the cells are read at most at.</param>
/// <param name="Saturated">Cells (train and test together) whose loss was above the zero network's, read at its level.</param>
/// <param name="Diverged">A member of this seed diverged: its losses stopped where it diverged, so the seed has no reading.</param>
public sealed record MessinessLandscape(
    long Seed, double[] Alphas, double[] Messiness, double[,] Train, double[,] Test, ZeroOutputLoss Zero, int Saturated, bool Diverged)
{
    /// <summary>
    /// Per seed (increasing), the grid of increasing alpha by increasing m; a grid with a missing or repeated cell is an
    /// error. A run that also sweeps training-set sizes (Population:TrainSamples) is read at <paramref name="trainSamples"/>,
    /// which it must hold.
    /// </summary>
    public static List<MessinessLandscape> Read(ClaimContext context, int trainSamples = 0)
    {
        var members = AtSize(context, trainSamples);
        if (members.Count == 0 || members.Any(m => m.Messiness is null))
        {
            throw new InvalidOperationException(
                $"{context.Claim.Id}: the analysis reads a messiness sweep (Population:Messiness); experiment '{context.Experiment}' has none");
        }

        List<MessinessLandscape> seeds = [.. members.GroupBy(m => m.Seed).OrderBy(g => g.Key).Select(g => OneSeed(context, g.Key, [.. g]))];
        if (seeds.Any(s => !s.Alphas.SequenceEqual(seeds[0].Alphas) || !s.Messiness.SequenceEqual(seeds[0].Messiness)))
        {
            throw new InvalidOperationException($"{context.Claim.Id}: experiment '{context.Experiment}': the seeds' (alpha, m) grids differ");
        }

        return seeds;
    }

    private static List<MemberSpec> AtSize(ClaimContext context, int trainSamples)
    {
        var sizes = context.Members.Select(m => m.TrainSamples).Distinct().ToList();
        if (sizes.Count == 1)
        {
            return [.. context.Members];
        }

        return sizes.Contains(trainSamples) ? [.. context.Members.Where(m => m.TrainSamples == trainSamples)]
            : throw new InvalidOperationException(
                $"{context.Claim.Id}: experiment '{context.Experiment}' sweeps training-set sizes {string.Join(", ", sizes)}; "
                + $"the analysis reads size {trainSamples}, which it lacks");
    }

    private static MessinessLandscape OneSeed(ClaimContext context, long seed, List<MemberSpec> members)
    {
        var zero = ZeroOutputLoss.Of(context, members[0]);
        int saturated = 0;
        double AtMost(double loss, double level)
        {
            saturated += loss > level ? 1 : 0;
            return Math.Min(loss, level);
        }

        double[] alphas = [.. members.Select(m => m.InitScale).Distinct().Order()];
        double[] ms = [.. members.Select(m => m.Messiness!.Value).Distinct().Order()];
        var train = new double[alphas.Length, ms.Length];
        var test = new double[alphas.Length, ms.Length];
        var filled = new bool[alphas.Length, ms.Length];
        foreach (var member in members)
        {
            int i = Array.IndexOf(alphas, member.InitScale), j = Array.IndexOf(ms, member.Messiness!.Value);
            if (filled[i, j])
            {
                throw new InvalidOperationException(
                    $"{context.Claim.Id}: experiment '{context.Experiment}' has two members of seed {seed} at alpha {alphas[i]}, m {ms[j]}");
            }

            var rows = MemberSeries.RowsBeforeDivergence(context.Result, member.Index);
            train[i, j] = rows.Length == 0 ? double.NaN : AtMost(rows.Min(r => r.TrainLoss), zero.Train);
            test[i, j] = rows.Length == 0 ? double.NaN : AtMost(rows.Min(r => r.ValLoss), zero.Test);
            filled[i, j] = true;
        }

        if (filled.Cast<bool>().Any(f => !f))
        {
            throw new InvalidOperationException(
                $"{context.Claim.Id}: experiment '{context.Experiment}', seed {seed}: not every (alpha, m) of the grid has a member");
        }

        return new MessinessLandscape(seed, alphas, ms, train, test, zero, saturated, members.Any(m => context.Result.Events[m.Index].Diverged));
    }

    /// <summary>
    /// The weight norms at which the model fits its training set for some representation: the alphas whose lowest train
    /// loss over m is at most <paramref name="fitLevel"/> times the zero network's train loss (Omnigrok's region II, the
    /// side of the contour 'training loss = 0.05' where the train loss is low).
    /// </summary>
    public int[] FittedColumns(double fitLevel) =>
        [.. Enumerable.Range(0, Alphas.Length).Where(i => Enumerable.Range(0, Messiness.Length).Min(j => Train[i, j]) <= fitLevel * Zero.Train)];

    /// <summary>
    /// How strongly a landscape depends on m where the model fits: over the fitted columns, the mean of the loss's range
    /// along m at fixed alpha, in units of the zero network's loss on the same split (the height of the landscape's
    /// colour scale). 0: the loss is the same for every representation; 1: moving along m spans the whole scale. NaN for
    /// a diverged seed or when no column fits.
    /// </summary>
    public double MDependence(bool train, double fitLevel)
    {
        var grid = train ? Train : Test;
        var columns = FittedColumns(fitLevel);
        if (Diverged || columns.Length == 0)
        {
            return double.NaN;
        }

        double Range(int i)
        {
            var cells = Enumerable.Range(0, Messiness.Length).Select(j => grid[i, j]).ToList();
            return cells.Max() - cells.Min();
        }

        return columns.Average(Range) / (train ? Zero.Train : Zero.Test);
    }

    /// <summary>
    /// How far the test loss lies above the train loss where the model fits: the mean of test - train over the cells of
    /// the fitted columns, in units of the zero network's test loss. NaN for a diverged seed or when no column fits.
    /// </summary>
    public double Mismatch(double fitLevel)
    {
        var columns = FittedColumns(fitLevel);
        if (Diverged || columns.Length == 0)
        {
            return double.NaN;
        }

        return columns.SelectMany(i => Enumerable.Range(0, Messiness.Length).Select(j => Test[i, j] - Train[i, j])).Average() / Zero.Test;
    }

    /// <summary>The loss at each m averaged over the fitted columns (the landscape's profile along m); NaN where none fits.</summary>
    public double[] MProfile(bool train, double fitLevel)
    {
        var grid = train ? Train : Test;
        var columns = FittedColumns(fitLevel);
        bool none = columns.Length == 0 || Diverged;
        return [.. Enumerable.Range(0, Messiness.Length).Select(j => none ? double.NaN : columns.Average(i => grid[i, j]))];
    }

    /// <summary>The cell-by-cell mean over seeds of a landscape (NaN where a seed has none), for the figure.</summary>
    public static double[,] Mean(IReadOnlyList<MessinessLandscape> seeds, bool train)
    {
        var first = seeds[0];
        var mean = new double[first.Alphas.Length, first.Messiness.Length];
        for (int i = 0; i < first.Alphas.Length; i++)
        {
            for (int j = 0; j < first.Messiness.Length; j++)
            {
                mean[i, j] = seeds.Where(s => !s.Diverged).Select(s => train ? s.Train[i, j] : s.Test[i, j]).DefaultIfEmpty(double.NaN).Average();
            }
        }

        return mean;
    }

    /// <summary>A grid value as keys and labels print it.</summary>
    public static string Tag(double value) => value.ToString("G4", CultureInfo.InvariantCulture);
}
