using Grokking.Claims.Analyses;
using Grokking.Claims.Contracts;
using Grokking.Claims.Toolkit;
using Grokking.Landscape;
using Grokking.Plots;
using Grokking.Training;

namespace Grokking.Claims.Rules.PG;

/// <summary>
/// PG-7 (Notsawo et al. 2023, Fig. 3): on the slices Loss(θ_t + a·δ_t), δ_t = θ* − θ_t, the model crosses a perturbed
/// valley of memorizing solutions before grokking and "achieves grokking when it successfully breaks free from the basin
/// of attraction of such solutions". θ* is the member's last grokked snapshot (the last saved step at which it fits the
/// training set, train accuracy &gt;= <c>memorizedLevel</c>, and generalizes, validation accuracy &gt;= 99 %), not its
/// final weights, which can sit inside a slingshot spike (<see cref="SlicePlan"/>). δ_t is not normalized, as in the
/// paper's code (surface.py with xnorm ''), so a = 0 is θ_t and a = 1 lands on θ*; a runs over [−0.5, 1.5] on
/// <c>alphaPoints</c> points (plus 0 and 1). Train and validation loss and accuracy are evaluated at every point, all
/// points of all slices as populations (<see cref="PathEvaluator"/>, without its gradient-norm pass).
/// <para>
/// Per seed (the member at the smallest fraction every seed generalizes at, <see cref="FractionSweep.Extremes"/>) up
/// to <c>slices</c> pre-grokking snapshots are sliced (train accuracy &gt;= <c>memorizedLevel</c>, validation accuracy
/// &lt;= <c>valleyValAccuracy</c>, spread from memorization to grokking), and the first snapshot after grokking. Each
/// pre-grokking slice must start in the valley (memorizing, not generalized at a = 0: a precondition, else the seed is
/// undecided). Two comparisons, judged by the claim's scope (<see cref="Thresholds"/>), decide (issue 25):
/// <list type="bullet">
/// <item>the ridge: the smallest pre-grokking ridge ratio (<see cref="RidgeRatio"/>) is at least <c>minRidge</c>;</item>
/// <item>the escape: the contrast, that smallest pre-grokking ridge over the ridge of the slice after grokking, is at
/// least <c>minContrast</c> — the memorizing iterates sit behind a ridge that the grokked one has left behind.</item>
/// </list>
/// The control applies the same comparisons to the slice after grokking, with a later grokked snapshot's slice as its
/// reference: both have broken free, so the rule must not find a basin wall between them. The evaluations are kept in
/// the run's landscape cache (the control's under its own name).
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
    /// <param name="MinContrast">
    /// Least ratio of the smallest pre-grokking ridge to the ridge of the slice after grokking (the basin left behind).
    /// </param>
    public sealed record Limits(
        [Within(0, 1)] double MemorizedLevel,
        [Within(0, 1)] double ValleyValAccuracy,
        [Within(1, double.MaxValue)] double MinRidge,
        [Within(1, double.MaxValue)] double MinContrast);

    /// <summary>
    /// One seed's slices as the rule reads them: the tested slices (pre-grokking ones; for the control, the slice after
    /// grokking), the reference slice their ridge is contrasted with (the slice after grokking; for the control, a later
    /// grokked one), whether the tested slices must start in the valley, and why the seed has no slices, if it has none.
    /// </summary>
    public sealed record SeedSlices(
        long Seed,
        IReadOnlyList<(long Step, PathEvaluation Slice)> Tested,
        (long Step, PathEvaluation Slice)? Reference,
        bool Valley,
        string? Missing = null,
        bool Diverged = false)
    {
        /// <summary>The tested slices that start in the valley (all of them when the valley is not asked for).</summary>
        public IReadOnlyList<(long Step, PathEvaluation Slice)> Judged(Limits limits) =>
            Valley ? [.. Tested.Where(s => InValley(s.Slice, limits))] : Tested;

        /// <summary>The smallest ridge ratio of the judged slices; NaN without one.</summary>
        public double Ridge(Limits limits) => MemberSeries.Min(Judged(limits).Select(s => RidgeRatio(s.Slice)));

        /// <summary>The smallest ridge over the reference slice's ridge; NaN without either.</summary>
        public double Contrast(Limits limits) => Reference is { } r ? Ridge(limits) / RidgeRatio(r.Slice) : double.NaN;
    }

    public override string? ControlName => "slice-after-grokking";

    public override AnalysisResult Analyze(ClaimContext context, Parameters parameters)
    {
        var limits = parameters.Thresholds;
        var (plans, checkpoints, alphas) = Plan(context, parameters);
        var specs = plans.Where(p => p.Missing is null).SelectMany(p => p.Sliced.Select(s => (Plan: p, Step: s))).ToList();
        var evaluated = Evaluate(context, checkpoints, specs, alphas, "grokking-slices");
        var seeds = plans.Select(p => Main(p, evaluated)).ToList();
        var result = Decide(context.Claim.ScopeKind, limits, seeds, "");
        IReadOnlyList<ClaimFigure> figures = evaluated.Count == 0 ? [] : [Figure(context, plans, evaluated, limits)];
        return result with { Measured = Values(plans, seeds, limits), Figures = figures };
    }

    /// <summary>
    /// The control: the rule on the slice after grokking, contrasted with the slice of a later grokked snapshot (the
    /// grokked snapshot nearest the middle between the two, <see cref="LaterGrokked"/>). Both iterates have broken free of
    /// the basin, so by the rule's own logic no basin wall separates them: it must refute.
    /// </summary>
    public override AnalysisResult AnalyzeControl(ClaimContext context, Parameters parameters)
    {
        var limits = parameters.Thresholds;
        var (plans, checkpoints, alphas) = Plan(context, parameters);
        var later = plans.ToDictionary(p => p.Member.Index, p => LaterGrokked(context.Result, checkpoints.Steps, p, limits.MemorizedLevel));
        var specs = plans.Where(p => p.Missing is null && p.AfterGrokking is not null && later[p.Member.Index] is not null)
            .SelectMany(p => new[] { (Plan: p, Step: p.AfterGrokking!.Value), (Plan: p, Step: later[p.Member.Index]!.Value) })
            .ToList();
        var evaluated = Evaluate(context, checkpoints, specs, alphas, "grokking-slices-control");
        var seeds = plans.Select(p => Control(p, later[p.Member.Index], evaluated)).ToList();
        return Decide(context.Claim.ScopeKind, limits, seeds, "control, the slice after grokking against a later grokked one: ");
    }

    /// <summary>
    /// The grokked snapshot (saved, before θ*, train accuracy &gt;= <paramref name="memorizedLevel"/> and validation
    /// &gt;= 99 %) nearest the middle between the first snapshot after grokking and θ*; null when there is none between.
    /// </summary>
    public static long? LaterGrokked(TrainingResult result, IReadOnlyList<long> snapshots, SlicePlan plan, double memorizedLevel)
    {
        if (plan.AfterGrokking is not { } after)
        {
            return null;
        }

        var saved = snapshots.Where(s => s > after && s < plan.FinalStep).ToHashSet();
        double middle = (after + plan.FinalStep) / 2.0;
        return MemberSeries.RowsBeforeDivergence(result, plan.Member.Index)
            .Where(r => saved.Contains(r.Step) && r.ValAccuracy >= SlicePlan.GrokkedLevel && r.TrainAccuracy >= memorizedLevel)
            .Select(r => (long?)r.Step)
            .MinBy(s => Math.Abs(s!.Value - middle));
    }

    /// <summary>
    /// The rule on the seeds' slices: per seed the preconditions (slices exist, start in the valley, a reference exists),
    /// then the two comparisons, ridge and contrast, judged by <paramref name="scope"/>. The resolution of both is the
    /// float32 rounding of the losses they divide (<see cref="Resolution"/>).
    /// </summary>
    public static AnalysisResult Decide(ClaimScope scope, Limits limits, IReadOnlyList<SeedSlices> seeds, string prefix)
    {
        var (pre, preReason) = SeedVerdicts.Combine([.. seeds.Select(s => Precondition(s, limits))]);
        var ridge = Thresholds.Judge(scope, new Quantity("ridgeRatioMin", "smallest ridge ratio of a seed's tested slices", "x"),
            [.. seeds.Select(s => s.Ridge(limits))], Relation.AtLeast, limits.MinRidge, Resolution(limits.MinRidge));
        var contrast = Thresholds.Judge(scope, new Quantity("ridgeContrast", "smallest tested ridge / the reference slice's ridge", "x"),
            [.. seeds.Select(s => s.Contrast(limits))], Relation.AtLeast, limits.MinContrast, Resolution(limits.MinContrast));
        var (decided, decidedReason) = Thresholds.Combine([ridge, contrast]);
        string reason = $"{prefix}slices θ_t + a(θ* − θ_t), a in [{AlphaFrom}, {AlphaTo}], θ* the last grokked snapshot; "
            + $"valley: train accuracy >= {limits.MemorizedLevel:P0} and validation accuracy <= {limits.ValleyValAccuracy:P0} at a = 0; "
            + $"ridge ratio: max train loss over a in [0, 1] / the larger end: {decidedReason}; per seed: {preReason}";
        return new AnalysisResult(SeedVerdicts.Worst([pre, decided]), reason, [], []) { Comparisons = [ridge, contrast] };
    }

    /// <summary>
    /// A ratio of two ridge ratios divides four float32 mean losses, each rounded by at most 2^-24 relative: values
    /// within 4 · 2^-24 of the threshold are not told apart from it.
    /// </summary>
    public static double Resolution(double threshold) => threshold * 4 * Math.Pow(2, -24);

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

    /// <summary>One seed's precondition: slices exist, the tested ones start in the valley, a reference exists.</summary>
    private static SeedFinding Precondition(SeedSlices s, Limits limits)
    {
        if (s.Missing is not null || s.Tested.Count == 0)
        {
            return new SeedFinding(s.Seed, Verdict.Inconclusive, s.Missing ?? "no slice to test", s.Diverged);
        }

        string Describe((long Step, PathEvaluation Slice) x)
        {
            var start = At(x.Slice, 0);
            return $"step {x.Step}: ridge {RidgeRatio(x.Slice):0.00}x, "
                + $"a = 0 train/validation accuracy {1 - start.TrainError:P1}/{1 - start.ValError:P1}";
        }

        string reference = s.Reference is { } r ? $"; reference {Describe(r)}; contrast {s.Contrast(limits):0.00}x" : "";
        string numbers = string.Join("; ", s.Tested.Select(Describe)) + reference;
        var outside = s.Tested.Where(x => !s.Judged(limits).Contains(x)).Select(x => x.Step).ToList();
        string? why = outside.Count > 0 ? $"the slice(s) from step {string.Join(", ", outside)} do not start in the valley"
            : s.Reference is null ? "no reference slice (no grokked snapshot to contrast with)" : null;
        return why is null
            ? new SeedFinding(s.Seed, Verdict.Confirmed, numbers)
            : new SeedFinding(s.Seed, Verdict.Inconclusive, $"{why}: {numbers}");
    }

    /// <summary>The grokking members, their slice plans, their checkpoints and the a grid.</summary>
    private static (List<SlicePlan> Plans, RunCheckpoints Checkpoints, double[] Alphas) Plan(ClaimContext context, Parameters parameters)
    {
        var limits = parameters.Thresholds;
        var members = FractionSweep.At(context, FractionSweep.Extremes(context, SlicePlan.GrokkedLevel).Grokking, "the grokking fraction");
        var checkpoints = new RunCheckpoints(context.RunDirectory, context.Device ?? TorchSharp.torch.CPU);
        var plans = members
            .Select(m => SlicePlan.Of(context.Result, checkpoints.Steps, m, limits.MemorizedLevel, limits.ValleyValAccuracy, parameters.Slices))
            .ToList();
        return (plans, checkpoints, Alphas(parameters.AlphaPoints));
    }

    /// <summary>The claim's data for one seed: its pre-grokking slices, contrasted with the slice after grokking.</summary>
    private static SeedSlices Main(SlicePlan p, Dictionary<(int Member, long Step), PathEvaluation> evaluated)
    {
        string diverged = p.Events.Diverged ? $" (diverged at step {p.Events.DivergedStep})" : "";
        if (p.Missing is not null)
        {
            return new SeedSlices(p.Member.Seed, [], null, true, p.Missing + diverged, p.Events.Diverged);
        }

        var tested = p.PreGrokking.Select(s => (s, evaluated[(p.Member.Index, s)])).ToList();
        (long, PathEvaluation)? reference = p.AfterGrokking is { } a ? (a, evaluated[(p.Member.Index, a)]) : null;
        return new SeedSlices(p.Member.Seed, tested, reference, true);
    }

    /// <summary>The control's data for one seed: the slice after grokking, contrasted with a later grokked one.</summary>
    private static SeedSlices Control(SlicePlan p, long? later, Dictionary<(int Member, long Step), PathEvaluation> evaluated)
    {
        if (p.Missing is not null || p.AfterGrokking is not { } after || later is not { } l)
        {
            string why = p.Missing
                ?? (p.AfterGrokking is null ? "no snapshot after grokking" : "no grokked snapshot between the first after grokking and θ*");
            return new SeedSlices(p.Member.Seed, [], null, false, why, p.Events.Diverged);
        }

        return new SeedSlices(p.Member.Seed, [(after, evaluated[(p.Member.Index, after)])], (l, evaluated[(p.Member.Index, l)]), false);
    }

    private static List<MeasuredValue> Values(List<SlicePlan> plans, List<SeedSlices> seeds, Limits limits)
    {
        var minima = seeds.Select(s => s.Ridge(limits)).ToList();
        var after = seeds.Select(s => s.Reference is { } r ? RidgeRatio(r.Slice) : double.NaN).ToList();
        var contrasts = seeds.Select(s => s.Contrast(limits)).ToList();
        var counts = plans.Select(p => (double)p.PreGrokking.Count).ToList();
        var memorized = plans.Select(p => (double?)p.MemorizedStep ?? double.NaN).ToList();
        var grokked = plans.Select(p => (double?)p.GrokkedStep ?? double.NaN).ToList();
        return
        [
            new("smallest ridge ratio over a seed's pre-grokking slices (median over seeds)",
                MemberSeries.Median(minima), "x", null, $">= {limits.MinRidge}", minima, Key: "ridgeRatioMin"),
            new("ridge ratio of the slice after grokking (median over seeds)",
                MemberSeries.Median(after), "x", null, null, after, Key: "ridgeRatioAfterGrokking"),
            new("smallest pre-grokking ridge ratio / ridge ratio after grokking (median over seeds)",
                MemberSeries.Median(contrasts), "x", null, $">= {limits.MinContrast}", contrasts, Key: "ridgeContrast"),
            new("pre-grokking slices per seed (median)", MemberSeries.Median(counts), "", null, null, counts, Key: "preGrokkingSlices"),
            new($"first step at {limits.MemorizedLevel:P0} train accuracy (median)",
                MemberSeries.Median(memorized), "step", null, null, memorized, Key: "memorizedStep"),
            new($"first step at {SlicePlan.GrokkedLevel:P0} validation accuracy (median)",
                MemberSeries.Median(grokked), "step", null, null, grokked, Key: "grokkedStep"),
        ];
    }

    private static PathPoint At(PathEvaluation slice, double a) => slice.Points.MinBy(p => Math.Abs(p.T - a))!;

    /// <summary>
    /// Every slice of <paramref name="specs"/> (member index, step) -> its evaluation, all as one population computation,
    /// cached under <paramref name="name"/> (the claim's slices and the control's apart, so neither invalidates the other).
    /// </summary>
    private static Dictionary<(int Member, long Step), PathEvaluation> Evaluate(
        ClaimContext context, RunCheckpoints checkpoints, List<(SlicePlan Plan, long Step)> specs, double[] alphas, string name)
    {
        if (specs.Count == 0)
        {
            return [];
        }

        var plans = specs.Select(s => s.Plan).Distinct().ToList();
        var o = context.RunOptions;
        var setup = LandscapeSetup.Of(o, plans[0].Member, context.Device ?? TorchSharp.torch.CPU);
        var identity = new
        {
            name,
            slices = specs.Select(s => new { s.Plan.Member.Index, s.Plan.Member.Seed, s.Step, s.Plan.FinalStep }),
            alphas,
            o.Model,
            setup.Data,
        };
        var evaluations = new LandscapeCache(context.RunDirectory).GetOrCompute(name, identity, () =>
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
