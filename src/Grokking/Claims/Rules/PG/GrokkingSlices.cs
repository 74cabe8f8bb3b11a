using Grokking.Claims.Analyses;
using Grokking.Claims.Contracts;
using Grokking.Claims.Toolkit;
using Grokking.Landscape;
using Grokking.Plots;

namespace Grokking.Claims.Rules.PG;

/// <summary>
/// PG-7 (Notsawo et al. 2023, Fig. 3): on the slices Loss(θ_t + a·δ_t), δ_t = θ* − θ_t, the model crosses a perturbed
/// valley of memorizing solutions before grokking. θ* is the member's final weights and δ_t is not normalized, as in
/// the paper's code (surface.py with xnorm ''), so a = 0 is θ_t and a = 1 lands on θ*; a runs over [−0.5, 1.5] on
/// <c>alphaPoints</c> points (plus 0 and 1). Train and validation loss and accuracy are evaluated at every point, all
/// points of all slices as populations (<see cref="PathEvaluator"/>, without its gradient-norm pass).
/// <para>
/// Per seed (the member at the smallest fraction every seed generalizes at, <see cref="FractionSweep.Extremes"/>) up
/// to <c>slices</c> pre-grokking snapshots are sliced (<see cref="SlicePlan"/>: train accuracy &gt;=
/// <c>memorizedLevel</c>, validation accuracy &lt;=
/// <c>valleyValAccuracy</c>, spread from memorization to grokking). The valley: each such slice starts memorizing
/// and not generalized at a = 0. The ridge: the largest train loss over a in [0, 1] is at least <c>minRidge</c> times
/// the larger of its ends (<see cref="RidgeRatio"/>). A seed holds when every pre-grokking slice is in the valley and
/// crosses a ridge; one valley slice without a ridge refutes; a seed that never memorizes or never groks, or has no
/// pre-grokking snapshot, cannot decide. One snapshot after grokking is sliced too, for the figure and its ridge ratio.
/// The evaluations are kept in the run's landscape cache.
/// </para>
/// </summary>
public sealed class GrokkingSlices : ClaimAnalysis<GrokkingSlices.Parameters>
{
    public const double AlphaFrom = -0.5;

    public const double AlphaTo = 1.5;

    public override string Name => "grokking-slices";

    public override SeedRule SeedRule => SeedRule.EverySeed;

    /// <summary>PG-7's rule: the thresholds a slice is judged by, how many snapshots are sliced, and on how many points.</summary>
    /// <param name="Thresholds">What the valley and the ridge are.</param>
    /// <param name="Slices">Most pre-grokking snapshots sliced per seed.</param>
    /// <param name="AlphaPoints">Points of the grid over a in [−0.5, 1.5] (0 and 1 are added when missing).</param>
    public sealed record Parameters(
        Limits Thresholds,
        [Within(1, int.MaxValue)] int Slices,
        [Within(2, int.MaxValue)] int AlphaPoints);

    /// <summary>The thresholds a slice is judged by.</summary>
    /// <param name="MemorizedLevel">Least train accuracy at a = 0 of a memorizing solution.</param>
    /// <param name="ValleyValAccuracy">Most validation accuracy at a = 0 of a solution that has not generalized.</param>
    /// <param name="MinRidge">
    /// Least ratio of the largest train loss over a in [0, 1] to the larger end; a ratio is at least 1 by construction.
    /// </param>
    public sealed record Limits(
        [Within(0, 1)] double MemorizedLevel,
        [Within(0, 1)] double ValleyValAccuracy,
        [Within(1, double.MaxValue)] double MinRidge);

    public override AnalysisResult Analyze(ClaimContext context, Parameters parameters)
    {
        var limits = parameters.Thresholds;
        var alphas = Alphas(parameters.AlphaPoints);
        var members = FractionSweep.At(context, FractionSweep.Extremes(context, SlicePlan.GrokkedLevel).Grokking, "the grokking fraction");
        var checkpoints = new RunCheckpoints(context.RunDirectory, context.Device ?? TorchSharp.torch.CPU);
        var plans = members
            .Select(m => SlicePlan.Of(context.Result, checkpoints.Steps, m, limits.MemorizedLevel, limits.ValleyValAccuracy, parameters.Slices))
            .ToList();
        var evaluated = Evaluate(context, checkpoints, [.. plans.Where(p => p.Missing is null)], alphas);

        var (verdict, reason) = SeedVerdicts.Combine([.. plans.Select(p => JudgePlan(p, evaluated, limits))]);
        reason = $"slices θ_t + a(θ* − θ_t), a in [{AlphaFrom}, {AlphaTo}], of each seed's pre-grokking snapshots; "
            + $"valley: train accuracy >= {limits.MemorizedLevel:P0} and validation accuracy <= {limits.ValleyValAccuracy:P0} at a = 0; "
            + $"ridge: max train loss over a in [0, 1] >= {limits.MinRidge} x the larger end: {reason}";

        IReadOnlyList<ClaimFigure> figures = evaluated.Count == 0 ? [] : [Figure(context, plans, evaluated, limits)];
        return new AnalysisResult(verdict, reason, Values(plans, evaluated, limits), figures);
    }

    /// <summary>a over [−0.5, 1.5] on <paramref name="points"/> points, with 0 and 1 always on the grid.</summary>
    public static double[] Alphas(int points)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(points, 2);
        var grid = Enumerable.Range(0, points).Select(i => AlphaFrom + ((AlphaTo - AlphaFrom) * i / (points - 1)));
        // Rounded so that a grid point at 1 ± 1 ulp and the added 1 count once.
        return [.. grid.Concat([0.0, 1.0]).Select(a => Math.Round(a, 12)).Distinct().Order()];
    }

    /// <summary>
    /// The largest train loss over a in [0, 1] divided by the larger of the losses at a = 0 and a = 1: above 1 when
    /// the straight way from θ_t to θ* climbs over a ridge, 1 when the loss is highest at an end.
    /// </summary>
    public static double RidgeRatio(PathEvaluation slice)
    {
        const double slack = 1e-9;
        double inside = slice.Points.Where(p => p.T >= -slack && p.T <= 1 + slack).Max(p => p.TrainLoss);
        return inside / Math.Max(At(slice, 0).TrainLoss, At(slice, 1).TrainLoss);
    }

    /// <summary>The slice starts in the valley: memorized and not generalized at a = 0.</summary>
    public static bool InValley(PathEvaluation slice, Limits limits)
    {
        var start = At(slice, 0);
        return 1 - start.TrainError >= limits.MemorizedLevel && 1 - start.ValError <= limits.ValleyValAccuracy;
    }

    /// <summary>One seed's finding from its pre-grokking slices (step, slice).</summary>
    public static SeedFinding Judge(long seed, IReadOnlyList<(long Step, PathEvaluation Slice)> slices, Limits limits)
    {
        if (slices.Count == 0)
        {
            return new SeedFinding(seed, Verdict.Inconclusive, "no pre-grokking slice");
        }

        string Describe((long Step, PathEvaluation Slice) s)
        {
            var start = At(s.Slice, 0);
            return $"step {s.Step}: ridge {RidgeRatio(s.Slice):0.00}x, "
                + $"a = 0 train/validation accuracy {1 - start.TrainError:P1}/{1 - start.ValError:P1}";
        }

        string numbers = string.Join("; ", slices.Select(Describe));
        var inValley = slices.Where(s => InValley(s.Slice, limits)).ToList();
        var flat = inValley.Where(s => !(RidgeRatio(s.Slice) >= limits.MinRidge)).Select(s => s.Step).ToList();
        if (flat.Count > 0)
        {
            return new SeedFinding(seed, Verdict.Refuted,
                $"no ridge (below {limits.MinRidge}x) on the slice(s) from step {string.Join(", ", flat)}: {numbers}");
        }

        var outside = slices.Where(s => !inValley.Contains(s)).Select(s => s.Step).ToList();
        if (outside.Count > 0)
        {
            return new SeedFinding(seed, Verdict.Inconclusive,
                $"the slice(s) from step {string.Join(", ", outside)} do not start in the valley: {numbers}");
        }

        return new SeedFinding(seed, Verdict.Confirmed, $"every pre-grokking slice starts in the valley and crosses a ridge: {numbers}");
    }

    /// <summary>One seed's finding from its plan: why it has no slice, or <see cref="Judge"/> on its slices, with its divergence named.</summary>
    private static SeedFinding JudgePlan(SlicePlan p, Dictionary<(int Member, long Step), PathEvaluation> evaluated, Limits limits)
    {
        string diverged = p.Events.Diverged ? $" (diverged at step {p.Events.DivergedStep})" : "";
        if (p.Missing is not null)
        {
            return new SeedFinding(p.Member.Seed, Verdict.Inconclusive, p.Missing + diverged, p.Events.Diverged);
        }

        var finding = Judge(p.Member.Seed, [.. p.PreGrokking.Select(s => (s, evaluated[(p.Member.Index, s)]))], limits);
        return finding with { Reason = finding.Reason + diverged, Diverged = p.Events.Diverged && finding.Verdict == Verdict.Inconclusive };
    }

    private static List<MeasuredValue> Values(
        List<SlicePlan> plans, Dictionary<(int Member, long Step), PathEvaluation> evaluated, Limits limits)
    {
        double Ratio(SlicePlan p, long? step) =>
            step is { } s && evaluated.TryGetValue((p.Member.Index, s), out var e) ? RidgeRatio(e) : double.NaN;
        var minima = plans.Select(p => MemberSeries.Min(p.PreGrokking.Select(s => Ratio(p, s)))).ToList();
        var after = plans.Select(p => Ratio(p, p.AfterGrokking)).ToList();
        var counts = plans.Select(p => (double)p.PreGrokking.Count).ToList();
        var memorized = plans.Select(p => (double?)p.MemorizedStep ?? double.NaN).ToList();
        var grokked = plans.Select(p => (double?)p.GrokkedStep ?? double.NaN).ToList();
        return
        [
            new("smallest ridge ratio over a seed's pre-grokking slices (median over seeds)",
                MemberSeries.Median(minima), "x", null, $">= {limits.MinRidge}", minima, Key: "ridgeRatioMin"),
            new("ridge ratio of the slice after grokking (median over seeds)",
                MemberSeries.Median(after), "x", null, null, after, Key: "ridgeRatioAfterGrokking"),
            new("pre-grokking slices per seed (median)", MemberSeries.Median(counts), "", null, null, counts, Key: "preGrokkingSlices"),
            new($"first step at {limits.MemorizedLevel:P0} train accuracy (median)",
                MemberSeries.Median(memorized), "step", null, null, memorized, Key: "memorizedStep"),
            new($"first step at {SlicePlan.GrokkedLevel:P0} validation accuracy (median)",
                MemberSeries.Median(grokked), "step", null, null, grokked, Key: "grokkedStep"),
        ];
    }

    private static PathPoint At(PathEvaluation slice, double a) => slice.Points.MinBy(p => Math.Abs(p.T - a))!;

    /// <summary>Every planned slice (member index, step) -> its evaluation, all as one population computation (cached).</summary>
    private static Dictionary<(int Member, long Step), PathEvaluation> Evaluate(
        ClaimContext context, RunCheckpoints checkpoints, List<SlicePlan> plans, double[] alphas)
    {
        var specs = plans.SelectMany(p => p.Sliced.Select(s => (Plan: p, Step: s))).ToList();
        if (specs.Count == 0)
        {
            return [];
        }

        var o = context.RunOptions;
        var setup = LandscapeSetup.Of(o, plans[0].Member, context.Device ?? TorchSharp.torch.CPU);
        var identity = new
        {
            name = "grokking-slices",
            slices = specs.Select(s => new { s.Plan.Member.Index, s.Plan.Member.Seed, s.Step, s.Plan.FinalStep }),
            alphas,
            o.Model,
            setup.Data,
        };
        var evaluations = new LandscapeCache(context.RunDirectory).GetOrCompute("grokking-slices", identity, () =>
        {
            context.Log?.Report($"landscape: {specs.Count} slice(s) x {alphas.Length} points");
            return Compute(context, checkpoints, setup, specs, plans, alphas);
        });
        return specs.Select((s, i) => (Key: (s.Plan.Member.Index, s.Step), Value: evaluations[i])).ToDictionary(x => x.Key, x => x.Value);
    }

    /// <summary>
    /// Loads each slice's two anchors (θ_t and the member's θ*, each checkpoint once) and evaluates every slice on
    /// the alpha grid, in the order of <paramref name="specs"/>.
    /// </summary>
    private static List<PathEvaluation> Compute(
        ClaimContext context,
        RunCheckpoints checkpoints,
        LandscapeSetup setup,
        List<(SlicePlan Plan, long Step)> specs,
        List<SlicePlan> plans,
        double[] alphas)
    {
        var anchors = specs.Select(s => (s.Plan.Member.Index, s.Step))
            .Concat(plans.Select(p => (p.Member.Index, Step: p.FinalStep)))
            .Distinct()
            .ToList();
        long SeedOf(int member) => plans.First(p => p.Member.Index == member).Member.Seed;
        var loaded = anchors.GroupBy(a => a.Step)
            .SelectMany(g => g.Zip(checkpoints.LoadMembers(g.Key, [.. g.Select(a => (a.Index, SeedOf(a.Index), $"member {a.Index} step {a.Step}"))])))
            .ToDictionary(x => x.First, x => x.Second);
        try
        {
            var paths = specs.Select(s => WeightPath.Segment(
                loaded[(s.Plan.Member.Index, s.Step)], loaded[(s.Plan.Member.Index, s.Plan.FinalStep)], $"seed {s.Plan.Member.Seed} step {s.Step}"))
                .ToList();
            return [.. PathEvaluator.Evaluate(setup, paths, alphas, gradNorm: false, context.Log)];
        }
        finally
        {
            foreach (var v in loaded.Values)
            {
                v.Dispose();
            }
        }
    }

    /// <summary>
    /// One seed's slices (train loss and validation accuracy against a, one line per snapshot, the one after grokking
    /// included) and every seed's ridge ratios against the snapshot step.
    /// </summary>
    private static ClaimFigure Figure(
        ClaimContext context, List<SlicePlan> plans, Dictionary<(int Member, long Step), PathEvaluation> evaluated, Limits limits)
    {
        var shown = plans.First(p => p.Missing is null);
        string Label(long step) => step == shown.AfterGrokking ? $"step {step} (grokked)" : $"step {step}";
        var slices = shown.Sliced.Select(s => (Step: s, Slice: evaluated[(shown.Member.Index, s)])).ToList();
        var loss = slices.Select(s => (Label(s.Step), s.Slice.T, s.Slice.Points.Select(p => p.TrainLoss).ToArray())).ToList();
        var accuracy = slices.Select(s => (Label(s.Step), s.Slice.T, s.Slice.Points.Select(p => 1 - p.ValError).ToArray())).ToList();
        var ridges = plans.Where(p => p.Missing is null)
            .Select(p => (
                $"seed {p.Member.Seed}",
                p.PreGrokking.Select(s => (double)s).ToArray(),
                p.PreGrokking.Select(s => RidgeRatio(evaluated[(p.Member.Index, s)])).ToArray()))
            .ToList();
        var steps = ridges.SelectMany(r => r.Item2).ToList();
        ridges.Add(($"minRidge {limits.MinRidge}", [steps.Min(), steps.Max()], [limits.MinRidge, limits.MinRidge]));
        (double, string)[] ends = [(0, "θ_t"), (1, "θ*")];
        string title = $"{context.Claim.Id}: slices θ_t + a(θ* − θ_t) of seed {shown.Member.Seed}, "
            + "and the ridge ratio of every seed's pre-grokking slices";
        ChartPanel[] panels =
        [
            new ChartPanel($"train loss, seed {shown.Member.Seed}", "a", "train loss", loss, ends, LogY: true),
            new ChartPanel($"validation accuracy, seed {shown.Member.Seed}", "a", "validation accuracy", accuracy, ends),
            new ChartPanel("ridge ratio (max over [0, 1] / larger end)", "snapshot step", "ratio", ridges),
        ];
        return context.Plot("slices", title, (dir, file) => PanelChart.Write(dir, file, title, panels));
    }
}
