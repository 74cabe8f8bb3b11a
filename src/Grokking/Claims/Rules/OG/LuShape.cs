using Grokking.Claims.Analyses;
using Grokking.Claims.Contracts;
using Grokking.Claims.Toolkit;
using Grokking.Plots;
using Grokking.Training;

namespace Grokking.Claims.Rules.OG;

/// <summary>
/// OG-1 (Omnigrok Fig. 2a): the reduced losses against the weight norm α·w₀, each member trained at its own α with the
/// norm held fixed (Optimizer:ConstrainNorm), read at the end of the run. Per seed, over the α grid in increasing order:
/// <list type="bullet">
/// <item>"L": train loss never rises by more than <c>monotoneSlack</c> of its range from one α to the next, and is
/// flat near zero for α ≥ 1 (every value at most <c>flatShare</c> of the value at the smallest α);</item>
/// <item>"U": test loss has its minimum inside the grid, with both ends at least (1 + <c>uDepth</c>) times it;</item>
/// <item>the minimum lies within a factor <c>nearOneFactor</c> of α = 1.</item>
/// </list>
/// All three must hold in every seed (<see cref="SeedVerdicts"/>).
/// </summary>
public sealed class LuShape : ClaimAnalysis<LuShape.Parameters>
{
    public override string Name => "lu-shape";

    public override SeedRule SeedRule => SeedRule.EverySeed;

    /// <summary>OG-1's rule: how the L and the U are read, and the paper's alpha of the test minimum it reports beside.</summary>
    public sealed record Parameters(
        [Within(0, 1)] double MonotoneSlack,
        [Within(0, 1)] double FlatShare,
        [Within(0, double.MaxValue)] double UDepth,
        [Within(1, double.MaxValue)] double NearOneFactor,
        [FromPaper("test minimum alpha")] double PaperMinimumAlpha);

    /// <summary>One member's reduced losses at the end of its run.</summary>
    private sealed record LossPoint(double Alpha, double Train, double Test, bool Diverged);

    /// <summary>One seed's losses over the alpha grid, in increasing alpha.</summary>
    private sealed record SeedCurve(long Seed, IReadOnlyList<LossPoint> Points);

    public override AnalysisResult Analyze(ClaimContext context, Parameters parameters)
    {
        var curves = Measure(context);
        var judged = curves.Select(c => Judge(c, parameters)).ToList();
        var (verdict, reason) = SeedVerdicts.Combine([.. judged.Select(j => j.Finding)]);
        var measured = Values(curves, [.. judged.Select(j => j.MinimumAlpha)], parameters);
        return new AnalysisResult(verdict, reason, measured, [Figure(context, curves)]);
    }

    private static List<SeedCurve> Measure(ClaimContext context)
    {
        LossPoint Read(MemberSpec m)
        {
            var last = MemberSeries.Rows(context.Result, m.Index)[^1];
            return new LossPoint(m.InitScale, last.TrainLoss, last.ValLoss, context.Result.Events[m.Index].Diverged);
        }

        return [.. context.Members.GroupBy(m => m.Seed).OrderBy(g => g.Key)
            .Select(g => new SeedCurve(g.Key, [.. g.OrderBy(m => m.InitScale).Select(Read)]))];
    }

    private static (SeedFinding Finding, double MinimumAlpha) Judge(SeedCurve curve, Parameters p)
    {
        var points = curve.Points;
        var shape = LuCurve.Judge(
            [.. points.Select(x => x.Alpha)], [.. points.Select(x => x.Train)], [.. points.Select(x => x.Test)],
            p.MonotoneSlack, p.FlatShare, p.UDepth, p.NearOneFactor);
        bool diverged = points.Any(x => x.Diverged);
        // A diverged member leaves a failed shape undecided: its losses stopped where it diverged.
        var verdict = shape.Holds ? Verdict.Confirmed : diverged ? Verdict.Inconclusive : Verdict.Refuted;
        string reason = shape.Describe() + (diverged ? " (a member diverged)" : "");
        return (new SeedFinding(curve.Seed, verdict, reason, diverged && !shape.Holds), shape.TestMinimumAlpha);
    }

    private static List<MeasuredValue> Values(IReadOnlyList<SeedCurve> curves, List<double> minima, Parameters p)
    {
        var measured = new List<MeasuredValue>
        {
            new("alpha of the test-loss minimum (median over seeds)", MemberSeries.Median(minima), "", p.PaperMinimumAlpha,
                $"within x{p.NearOneFactor} of 1", minima, Key: "testMinAlpha"),
        };
        var alphaGrid = curves.Count == 0 ? [] : curves[0].Points.Select(x => x.Alpha).ToList();
        foreach (double a in alphaGrid)
        {
            var train = curves.Select(c => c.Points.First(x => Math.Abs(x.Alpha - a) < 1e-12).Train).ToList();
            var test = curves.Select(c => c.Points.First(x => Math.Abs(x.Alpha - a) < 1e-12).Test).ToList();
            string tag = a.ToString("G4", System.Globalization.CultureInfo.InvariantCulture);
            measured.Add(new($"reduced train loss at alpha {tag} (median over seeds)", MemberSeries.Median(train), "", null, null, train,
                Key: $"train-a{tag}"));
            measured.Add(new($"reduced test loss at alpha {tag} (median over seeds)", MemberSeries.Median(test), "", null, null, test,
                Key: $"test-a{tag}"));
        }

        return measured;
    }

    private static ClaimFigure Figure(ClaimContext context, IReadOnlyList<SeedCurve> curves)
    {
        var series = new List<(string, double[], double[])>();
        foreach (var (seed, points) in curves)
        {
            var x = points.Select(p => Math.Log10(p.Alpha)).ToArray();
            series.Add(($"seed {seed}", x, points.Select(p => p.Train).ToArray()));
            series.Add(($"seed {seed}", x, points.Select(p => p.Test).ToArray()));
        }

        string title = $"{context.Claim.Id}: reduced train (solid) and test (dashed) loss against alpha = w / w0";
        return context.Plot("lu", title, (dir, file) => LineChart.Write(dir, file, title, "log10 alpha", "MSE (log scale)", series, logY: true));
    }
}
