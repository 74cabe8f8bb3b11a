using Grokking.Claims.Analyses;
using Grokking.Claims.Contracts;
using Grokking.Claims.Toolkit;
using Grokking.Plots;

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
public sealed class LuShape : LegacyClaimAnalysis
{
    public override string Name => "lu-shape";

    public override IReadOnlyList<string> RequiredTolerances => ["monotoneSlack", "flatShare", "uDepth", "nearOneFactor"];

    public override IReadOnlyList<string> RequiredPaperValues => ["test minimum alpha"];

    public override AnalysisResult Analyze(ClaimContext context)
    {
        var claim = context.Claim;
        double slack = claim.ToleranceOf("monotoneSlack");
        double flat = claim.ToleranceOf("flatShare");
        double depth = claim.ToleranceOf("uDepth");
        double near = claim.ToleranceOf("nearOneFactor");

        var curves = context.Members.GroupBy(m => m.Seed).OrderBy(g => g.Key).Select(g =>
        {
            var points = g.OrderBy(m => m.InitScale).Select(m =>
            {
                var rows = MemberSeries.Rows(context.Result, m.Index);
                var last = rows[^1];
                return (Alpha: m.InitScale, Train: last.TrainLoss, Test: last.ValLoss, Diverged: context.Result.Events[m.Index].Diverged);
            }).ToList();
            return (Seed: g.Key, Points: points);
        }).ToList();

        var findings = new List<SeedFinding>();
        var minima = new List<double>();
        foreach (var (seed, points) in curves)
        {
            var alphas = points.Select(p => p.Alpha).ToArray();
            var shape = LuCurve.Judge(alphas, points.Select(p => p.Train).ToArray(), points.Select(p => p.Test).ToArray(), slack, flat, depth, near);
            minima.Add(shape.TestMinimumAlpha);
            bool diverged = points.Any(p => p.Diverged);
            findings.Add(new SeedFinding(seed, shape.Holds ? Verdict.Confirmed : diverged ? Verdict.Inconclusive : Verdict.Refuted, shape.Describe() + (diverged ? " (a member diverged)" : ""), diverged && !shape.Holds));
        }

        var (verdict, reason) = SeedVerdicts.Combine(findings);
        var measured = new List<MeasuredValue>
        {
            new("alpha of the test-loss minimum (median over seeds)", MemberSeries.Median(minima), "", claim.PaperValueOf("test minimum alpha"), $"within x{near} of 1", minima, Key: "testMinAlpha"),
        };
        var alphaGrid = curves.Count == 0 ? [] : curves[0].Points.Select(p => p.Alpha).ToList();
        foreach (double a in alphaGrid)
        {
            var train = curves.Select(c => c.Points.First(p => Math.Abs(p.Alpha - a) < 1e-12).Train).ToList();
            var test = curves.Select(c => c.Points.First(p => Math.Abs(p.Alpha - a) < 1e-12).Test).ToList();
            string tag = a.ToString("G4", System.Globalization.CultureInfo.InvariantCulture);
            measured.Add(new($"reduced train loss at alpha {tag} (median over seeds)", MemberSeries.Median(train), "", null, null, train, Key: $"train-a{tag}"));
            measured.Add(new($"reduced test loss at alpha {tag} (median over seeds)", MemberSeries.Median(test), "", null, null, test, Key: $"test-a{tag}"));
        }

        var series = new List<(string, double[], double[])>();
        foreach (var (seed, points) in curves)
        {
            var x = points.Select(p => Math.Log10(p.Alpha)).ToArray();
            series.Add(($"seed {seed}", x, points.Select(p => p.Train).ToArray()));
            series.Add(($"seed {seed}", x, points.Select(p => p.Test).ToArray()));
        }

        var (dir, file) = context.Figure("lu");
        string title = $"{claim.Id}: reduced train (solid) and test (dashed) loss against alpha = w / w0";
        var figure = context.FigureOf(title, LineChart.Write(dir, file, title, "log10 alpha", "MSE (log scale)", series, logY: true));
        return new AnalysisResult(verdict, reason, measured, [figure]);
    }
}
