using System.Globalization;
using Grokking.Claims.Analyses;
using Grokking.Claims.Contracts;
using Grokking.Plots;

namespace Grokking.Claims.Toolkit;

/// <summary>What OG-10 and OG-12 report beside their comparisons: the reduced errors per alpha and data size, and the figure.</summary>
public static class ErrorLandscapeValues
{
    /// <summary>Rise ratio and rises, then the median train and test error per alpha at each data size (keys prefixed by the loss).</summary>
    public static List<MeasuredValue> Of(
        string prefix, IReadOnlyList<ReducedErrors> small, IReadOnlyList<ReducedErrors> large, List<double> riseRatios)
    {
        var values = new List<MeasuredValue>
        {
            new("test-error rise to the largest alpha, large N over small N (median over seeds)", MemberSeries.Median(riseRatios), "", null, null,
                riseRatios, Key: $"{prefix}riseRatio"),
        };
        foreach (var (arm, curves) in new[] { ("small", small), ("large", large) })
        {
            var rises = curves.Select(c => c.RightRise).ToList();
            values.Add(new($"{arm} N: test-error rise from its minimum to the largest alpha (median)", MemberSeries.Median(rises), "", null, null,
                rises, Key: $"{prefix}{arm}-rise"));
            var grid = curves.Count == 0 ? [] : curves[0].Alphas;
            for (int i = 0; i < grid.Length; i++)
            {
                string tag = grid[i].ToString("G4", CultureInfo.InvariantCulture);
                var train = curves.Select(c => c.Train[i]).ToList();
                var test = curves.Select(c => c.Test[i]).ToList();
                values.Add(new($"{arm} N: reduced train error at alpha {tag} (median)", MemberSeries.Median(train), "", null, null, train,
                    Key: $"{prefix}{arm}-train-a{tag}"));
                values.Add(new($"{arm} N: reduced test error at alpha {tag} (median)", MemberSeries.Median(test), "", null, null, test,
                    Key: $"{prefix}{arm}-test-a{tag}"));
            }
        }

        return values;
    }

    /// <summary>Train (solid) and test (dashed) error against log10 alpha per seed, one panel per data size.</summary>
    public static ClaimFigure Figure(
        ClaimContext context, string name, string what, IReadOnlyList<ReducedErrors> small, IReadOnlyList<ReducedErrors> large)
    {
        static ChartPanel Panel(string title, IReadOnlyList<ReducedErrors> curves)
        {
            var series = new List<(string, double[], double[])>();
            foreach (var c in curves)
            {
                var x = c.Alphas.Select(Math.Log10).ToArray();
                series.Add(($"seed {c.Seed}", x, c.Train));
                series.Add(($"seed {c.Seed}", x, c.Test));
            }

            return new ChartPanel(title, "log10 alpha", "error (solid train, dashed test)", series);
        }

        string title = $"{context.Claim.Id}: reduced errors against alpha = w / w0 ({what})";
        return context.Plot(name, title, (dir, file) => PanelChart.Write(dir, file, title, [Panel("small N", small), Panel("large N", large)]));
    }
}
