using Grokking.Claims.Analyses;
using Grokking.Claims.Contracts;
using Grokking.Claims.Toolkit;
using Grokking.Landscape;
using Grokking.Training;

namespace Grokking.Claims.Rules.PG;

/// <summary>
/// PG-6 (Notsawo et al. 2023, App. B.1): grokking runs have larger Hessian condition numbers λmax/λmin of the train
/// loss than runs that generalize at once. Per seed the run at the smallest fraction every seed generalizes at (it
/// groks) is compared with the run at the largest fraction (it generalizes at once; <see cref="FractionSweep.Extremes"/>),
/// each at its first weight snapshot whose full-batch train loss (the metric row at that step) is at most
/// <c>lossLevel</c>, so both are compared at the same fit.
/// <para>
/// λmax and λmin are Lanczos estimates (<c>lanczosIterations</c> steps, the members of a fraction in one population) of
/// the Hessian of the train data loss, without weight decay, as the paper's code takes it (<see cref="TrainLossHessian"/>).
/// λmin is the paper's shifted estimate (the eigenvalue of H − 0.51·λmax·I of largest magnitude, plus the shift):
/// the most negative eigenvalue at a saddle, the smallest positive one when it is below 0.02·λmax, else λmax itself
/// (κ = 1). The paper plots the signed ratio; "larger" is read on κ = λmax / |λmin|, so a negative λmin counts by its
/// magnitude (it is reported with its sign).
/// </para>
/// <para>
/// The decisive comparison (issue 25) is κ_grok / κ_fast per seed, strictly above 1 (<see cref="Larger"/>), read by the
/// claim's scope (typical: the 95 % interval of the seed mean decides, a straddle is INCONCLUSIVE within noise). A seed
/// whose run never reaches the loss level (or diverges before it) has no ratio and is undecided, and
/// <see cref="SeedVerdicts"/> needs at least three measured seeds. The control swaps the two runs' roles. The
/// validation accuracies at the two snapshots are reported to show the runs are what they stand for (the fast one
/// already generalizes, the grokking one not yet). κ at each run's fit (its first snapshot at the run's train-accuracy
/// threshold) is measured and reported beside them, never judged. Results are kept in the run's landscape cache.
/// </para>
/// </summary>
public sealed class HessianCondition : ClaimAnalysis<HessianCondition.Parameters>
{
    public override string Name => "hessian-condition";

    public override SeedRule SeedRule => SeedRule.EverySeed;

    /// <summary>PG-6's rule: the train loss both runs are compared at, and how long Lanczos runs.</summary>
    /// <param name="LossLevel">Full-batch train loss a snapshot must be at or below ("at comparable training loss").</param>
    /// <param name="LanczosIterations">Lanczos steps per extreme eigenvalue.</param>
    public sealed record Parameters(
        [Within(0, double.MaxValue)] double LossLevel,
        [Within(1, int.MaxValue)] int LanczosIterations);

    public override string? ControlName => "roles-swapped";

    public override AnalysisResult Analyze(ClaimContext context, Parameters parameters) => Run(context, parameters, swapped: false);

    /// <summary>
    /// The control: the same rule on the same Hessians with the roles swapped, the run that generalizes at once standing
    /// as the grokking run. By the rule's logic (grokking goes with the larger κ) it must not come out larger: the rule
    /// is shown able to fail on these very measurements, whichever way they fall.
    /// </summary>
    public override AnalysisResult AnalyzeControl(ClaimContext context, Parameters parameters) => Run(context, parameters, swapped: true);

    /// <summary>Strictly larger: the smallest double above 1, so an equal κ (ratio exactly 1) does not hold.</summary>
    public static readonly double Larger = Math.BitIncrement(1.0);

    private static AnalysisResult Run(ClaimContext context, Parameters parameters, bool swapped)
    {
        var runs = Runs.Of(context);
        var sides = Measure(context, runs, parameters.LanczosIterations, parameters.LossLevel);
        var pairs = swapped ? sides.AtLossLevel.Select(p => new Pair(p.Seed, p.Fast, p.Grok)).ToList() : sides.AtLossLevel;
        long budget = context.Result.StepsCompleted;
        var findings = pairs.Select(p => Judge(p.Seed, p.Grok, p.Fast, parameters.LossLevel, budget)).ToList();
        var comparison = Compare(context.Claim.ScopeKind, findings, pairs);
        // Per seed only the preconditions (both snapshots measured) are events; whether κ is larger is the comparison's.
        var preconditions = findings.Select(f => f.Verdict == Verdict.Refuted ? f with { Verdict = Verdict.Confirmed } : f).ToList();
        var (measured, measuredReason) = SeedVerdicts.Combine(preconditions);
        var verdict = SeedVerdicts.Worst([measured, comparison.Verdict]);
        string combined = $"{comparison.Verdict.ToString().ToUpperInvariant()}: {comparison.Reason}; per seed: {measuredReason}";
        string text = (swapped ? "roles swapped (control): " : "") + Reason(runs, sides, parameters.LossLevel, combined);
        var figures = swapped ? Array.Empty<ClaimFigure>() : [Figure(context, sides)];
        return new AnalysisResult(verdict, text, Values(sides, parameters.LossLevel), figures) { Comparisons = [comparison] };
    }

    /// <summary>
    /// κ_grok / κ_fast per seed (NaN where a snapshot or a finite κ is missing) against <see cref="Larger"/>, by the claim's
    /// scope; the resolution is the float precision of the ratio (the rule is strict, and <see cref="Larger"/> is it).
    /// </summary>
    public static Comparison Compare(ClaimScope scope, IReadOnlyList<SeedFinding> findings, IReadOnlyList<(double Grok, double Fast)> kappas)
    {
        var ratios = kappas.Zip(findings, (k, f) => f.Verdict == Verdict.Inconclusive ? double.NaN : k.Grok / k.Fast).ToList();
        var quantity = new Quantity("kappaRatio", "κ_grok / κ_fast at the loss-level snapshots");
        return Thresholds.Judge(scope, quantity, ratios, Relation.AtLeast, Larger);
    }

    private static Comparison Compare(ClaimScope scope, List<SeedFinding> findings, List<Pair> pairs) =>
        Compare(scope, findings, [.. pairs.Select(p => (p.Grok.Measurement?.Kappa ?? double.NaN, p.Fast.Measurement?.Kappa ?? double.NaN))]);

    /// <summary>
    /// A member's first saved snapshot (a step with a weight file) at which its train loss is at most
    /// <paramref name="lossLevel"/>, before any divergence; null when there is none.
    /// </summary>
    public static MetricRow? AtLossLevel(TrainingResult result, IReadOnlyList<long> snapshotSteps, int member, double lossLevel) =>
        FirstSnapshot(result, snapshotSteps, member, r => r.TrainLoss <= lossLevel);

    /// <summary>
    /// A member's first saved snapshot at which its train accuracy is at least <paramref name="fitLevel"/> (the fit),
    /// before any divergence; null when there is none.
    /// </summary>
    public static MetricRow? AtFit(TrainingResult result, IReadOnlyList<long> snapshotSteps, int member, double fitLevel) =>
        FirstSnapshot(result, snapshotSteps, member, r => r.TrainAccuracy >= fitLevel);

    /// <summary>One seed's finding from its two runs.</summary>
    public static SeedFinding Judge(long seed, ConditionAtLoss grokking, ConditionAtLoss fast, double lossLevel, long budget)
    {
        var missing = new[] { grokking, fast }.Where(s => s.Row is null || s.Measurement is null).ToList();
        if (missing.Count > 0)
        {
            string Why(ConditionAtLoss s) => $"the {s.Role} run (r {FractionSweep.Tag(s.Member.TrainFraction)}) " + (s.Events.Diverged
                ? $"diverged at step {s.Events.DivergedStep} before a snapshot with train loss <= {lossLevel}"
                : $"has no snapshot with train loss <= {lossLevel} within {budget} steps");
            string why = string.Join("; ", missing.Select(Why));
            return new SeedFinding(seed, Verdict.Inconclusive, why, missing.Any(s => s.Events.Diverged));
        }

        double kg = grokking.Measurement!.Kappa;
        double kf = fast.Measurement!.Kappa;
        string numbers = $"{Describe(grokking)} vs {Describe(fast)}";
        string roles = grokking.Row!.ValAccuracy < fast.Row!.ValAccuracy
            ? ""
            : $"; not as meant: the grokking run's validation accuracy at its snapshot ({grokking.Row.ValAccuracy:P1}) "
                + $"is not below the fast run's ({fast.Row.ValAccuracy:P1})";
        if (!double.IsFinite(kg) || !double.IsFinite(kf))
        {
            return new SeedFinding(seed, Verdict.Inconclusive, $"a condition number is not finite: {numbers}{roles}");
        }

        bool holds = kg > kf;
        return new SeedFinding(seed, holds ? Verdict.Confirmed : Verdict.Refuted,
            $"κ_grok {kg:G3} {(holds ? ">" : "<=")} κ_fast {kf:G3}: {numbers}{roles}");
    }

    /// <summary>
    /// Both runs of every seed at the rule's snapshot (first train loss at the level) and, beside it, at the fit (first
    /// snapshot at the run's train-accuracy threshold), where both kinds of run have memorized: reported whatever the
    /// verdict, never judged, so a run that never reaches the loss level still shows its condition numbers. Both
    /// snapshot kinds are measured in one pass, each (member, step) point once.
    /// </summary>
    private static Sides Measure(ClaimContext context, Runs runs, int iterations, double lossLevel)
    {
        var checkpoints = new RunCheckpoints(context.RunDirectory, context.Device ?? TorchSharp.torch.CPU);
        var result = context.Result;
        var members = runs.Grokking.Concat(runs.Fast).ToList();
        var rows = members.ToDictionary(m => m.Index, m => AtLossLevel(result, checkpoints.Steps, m.Index, lossLevel));
        double fitLevel = context.RunOptions.Train.TrainAccuracyThreshold;
        var fitRows = members.ToDictionary(m => m.Index, m => AtFit(result, checkpoints.Steps, m.Index, fitLevel));
        var points = members
            .SelectMany(m => new[] { rows[m.Index], fitRows[m.Index] }.OfType<MetricRow>().Select(r => (Member: m, r.Step)))
            .Distinct()
            .ToList();
        var measured = Hessians(context, checkpoints, points, iterations);

        ConditionAtLoss Side(string role, MemberSpec m, Dictionary<int, MetricRow?> at)
        {
            var row = at[m.Index];
            var measurement = row is null ? null : measured.GetValueOrDefault((m.Index, row.Step));
            return new(role, m, result.Events[m.Index], row, measurement);
        }

        List<Pair> PairsAt(Dictionary<int, MetricRow?> at) =>
            [.. runs.Pairs.Select(p => new Pair(p.Grok.Seed, Side("grokking", p.Grok, at), Side("fast", p.Fast, at)))];

        return new Sides(PairsAt(rows), PairsAt(fitRows), fitLevel);
    }

    /// <summary>The rule in words before the seeds' combined reason, then both runs at the fit (reported, not judged).</summary>
    private static string Reason(Runs runs, Sides sides, double lossLevel, string combined)
    {
        string reason = $"grokking run r = {FractionSweep.Tag(runs.GrokkingFraction)} (the smallest fraction every seed generalizes at), "
            + $"fast run r = {FractionSweep.Tag(runs.FastFraction)} (the largest); κ = λmax/|λmin| of the train data loss "
            + "(λmin by the paper's shifted Lanczos estimate; a negative λmin, a saddle direction, is reported signed and counts by "
            + $"its magnitude) at each run's first snapshot with train loss <= {lossLevel}, per seed κ_grok > κ_fast: {combined}";
        string fitLabel = sides.FitLabel;
        var atFit = sides.AtFit.Select(f => $"seed {f.Seed}: {DescribeOrMissing(f.Grok)} vs {DescribeOrMissing(f.Fast)}");
        return reason + $". {char.ToUpperInvariant(fitLabel[0])}{fitLabel[1..]}: " + string.Join("; ", atFit);
    }

    /// <summary>Both roles' numbers at the rule's snapshot (judged) and at the fit (reported).</summary>
    private static List<MeasuredValue> Values(Sides sides, double lossLevel)
    {
        var rule = new SnapshotKind("at the snapshot", "", $"<= {lossLevel}", Judged: true);
        var fit = new SnapshotKind(sides.FitLabel, "AtFit", $">= {sides.FitLevel:P0} train accuracy", Judged: false);
        return
        [
            .. ValuesOf("grok", [.. sides.AtLossLevel.Select(p => p.Grok)], rule),
            .. ValuesOf("fast", [.. sides.AtLossLevel.Select(p => p.Fast)], rule),
            .. ValuesOf("grok", [.. sides.AtFit.Select(f => f.Grok)], fit),
            .. ValuesOf("fast", [.. sides.AtFit.Select(f => f.Fast)], fit),
        ];
    }

    /// <summary>
    /// The numbers of one role's runs at one snapshot kind (per seed, with their median), under keys
    /// "name<see cref="SnapshotKind.KeySuffix"/>-<paramref name="key"/>"; only the judged κ carries the rule as its tolerance.
    /// </summary>
    private static IEnumerable<MeasuredValue> ValuesOf(string key, IReadOnlyList<ConditionAtLoss> sides, SnapshotKind kind)
    {
        string tag = $"{sides[0].Role} run (r {FractionSweep.Tag(sides[0].Member.TrainFraction)})";
        string where = kind.Judged ? "" : $" {kind.At}";
        MeasuredValue Value(string name, string suffix, Func<ConditionAtLoss, double> read, string unit = "", string? tolerance = null)
        {
            var perSeed = sides.Select(read).ToList();
            return new($"{tag}: {name} (median over seeds)", MemberSeries.Median(perSeed), unit, null, tolerance, perSeed,
                Key: $"{suffix}{kind.KeySuffix}-{key}");
        }

        string? kappaRule = kind.Judged && key == "grok" ? "> the fast run's, per seed" : null;
        yield return Value($"κ = λmax/|λmin|{where}", "kappa", s => s.Measurement?.Kappa ?? double.NaN, tolerance: kappaRule);
        yield return Value($"λmax{where}", "lambdaMax", s => s.Measurement?.LambdaMax ?? double.NaN);
        yield return Value($"λmin (shifted estimate, signed){where}", "lambdaMin", s => s.Measurement?.LambdaMin ?? double.NaN);
        yield return Value($"snapshot step{where}", "step", s => s.Row?.Step ?? double.NaN, "step");
        yield return Value($"train loss {kind.At}", "trainLoss", s => s.Row?.TrainLoss ?? double.NaN, tolerance: kind.Rule);
        yield return Value($"validation accuracy {kind.At}", "valAccuracy", s => s.Row?.ValAccuracy ?? double.NaN);
    }

    private static MetricRow? FirstSnapshot(TrainingResult result, IReadOnlyList<long> snapshotSteps, int member, Func<MetricRow, bool> holds)
    {
        var saved = snapshotSteps.ToHashSet();
        return MemberSeries.RowsBeforeDivergence(result, member).FirstOrDefault(r => saved.Contains(r.Step) && holds(r));
    }

    private static string DescribeOrMissing(ConditionAtLoss s) =>
        s.Measurement is null ? $"{s.Role} r {FractionSweep.Tag(s.Member.TrainFraction)}: no snapshot" : Describe(s);

    private static string Describe(ConditionAtLoss s)
    {
        var m = s.Measurement!;
        var row = s.Row!;
        string diverged = s.Events.Diverged ? $", diverged later at step {s.Events.DivergedStep}" : "";
        return $"{s.Role} r {FractionSweep.Tag(s.Member.TrainFraction)} at step {row.Step}: "
            + $"κ {m.Kappa:G3} = λmax {m.LambdaMax:G4} / |λmin {m.LambdaMin:G3}| "
            + $"(train loss {row.TrainLoss:G3}, validation accuracy {row.ValAccuracy:P1}{diverged})";
    }

    /// <summary>
    /// The Hessian extremes at every (member, snapshot step) point, one population per fraction (cached in the run
    /// directory).
    /// </summary>
    private static Dictionary<(int Member, long Step), HessianMeasurement> Hessians(
        ClaimContext context, RunCheckpoints checkpoints, List<(MemberSpec Member, long Step)> points, int iterations)
    {
        if (points.Count == 0)
        {
            return [];
        }

        var o = context.RunOptions;
        var identity = new
        {
            name = "hessian-condition",
            points = points.Select(p => new { p.Member.Index, p.Member.Seed, p.Member.TrainFraction, p.Step }),
            iterations,
            o.Model,
            o.Data,
        };
        var list = new LandscapeCache(context.RunDirectory).GetOrCompute("hessian-condition", identity, () =>
        {
            context.Log?.Report($"landscape: Hessian extremes of {points.Count} member(s), {iterations} Lanczos steps");
            // One population per fraction: in one population the smaller training sets would be padded to the largest,
            // and every Hessian-vector product would pay for the padded rows.
            return points.GroupBy(p => p.Member.TrainFraction)
                .SelectMany(group => Population(context, checkpoints, [.. group], iterations))
                .ToList();
        });
        return list.ToDictionary(m => (m.Member, m.Step));
    }

    /// <summary>The Hessian extremes of one fraction's points, measured as one population.</summary>
    private static IEnumerable<HessianMeasurement> Population(
        ClaimContext context, RunCheckpoints checkpoints, List<(MemberSpec Member, long Step)> members, int iterations)
    {
        var o = context.RunOptions;
        var state = checkpoints.Stack([.. members.Select(p => (p.Member.Index, p.Step))]);
        try
        {
            var device = context.Device ?? TorchSharp.torch.CPU;
            var measured = TrainLossHessian.Measure(
                o.Model, o.Data, [.. members.Select(p => (p.Member.Seed, p.Member.TrainFraction))], state, device, iterations);
            return [.. members.Select((p, i) => new HessianMeasurement(p.Member.Index, p.Step, measured[i].TrainLoss, measured[i].Extremes))];
        }
        finally
        {
            foreach (var t in state.Values)
            {
                t.Dispose();
            }
        }
    }

    /// <summary>κ per seed for both runs, at the rule's snapshot and at the fit, as dots on a log axis.</summary>
    private static ClaimFigure Figure(ClaimContext context, Sides sides)
    {
        var plotted = sides.AtLossLevel.Select(p => (Pair: p, At: "")).Concat(sides.AtFit.Select(f => (Pair: f, At: " at the fit")));
        var series = plotted
            .SelectMany(p => new[] { p.Pair.Grok, p.Pair.Fast }.Where(s => s.Measurement is not null).Select(s => (
                $"{s.Role} (r {FractionSweep.Tag(s.Member.TrainFraction)}){p.At}", new[] { (double)p.Pair.Seed }, new[] { s.Measurement!.Kappa })))
            .ToList();
        string title = $"{context.Claim.Id}: Hessian condition number κ = λmax/|λmin| of the train loss, per seed";
        return context.Plot("condition-numbers", title,
            (dir, file) => Plots.LineChart.Write(dir, file, title, "seed", "κ (log scale)", series, logY: true));
    }

    /// <summary>
    /// The two fractions compared (the smallest every seed generalizes at, which groks, and the largest, which
    /// generalizes at once), their members, and each grokking member paired with the fast member of its seed.
    /// </summary>
    private sealed record Runs(
        double GrokkingFraction, double FastFraction, IReadOnlyList<MemberSpec> Grokking, IReadOnlyList<MemberSpec> Fast,
        IReadOnlyList<(MemberSpec Grok, MemberSpec Fast)> Pairs)
    {
        public static Runs Of(ClaimContext context)
        {
            string id = context.Claim.Id;
            var (grokkingFraction, fastFraction) = FractionSweep.Extremes(context, SlicePlan.GrokkedLevel);
            if (grokkingFraction >= fastFraction)
            {
                throw new InvalidOperationException(
                    $"{id}: the grokking run needs a smaller train fraction than the fast run; the sweep's smallest generalizing "
                    + $"fraction is {FractionSweep.Tag(grokkingFraction)} and its largest {FractionSweep.Tag(fastFraction)}");
            }

            var grokking = FractionSweep.At(context, grokkingFraction, "the grokking fraction");
            var fast = FractionSweep.At(context, fastFraction, "the fast fraction");
            var pairs = grokking.Select(g => (Grok: g, Fast: fast.FirstOrDefault(f => f.Seed == g.Seed)
                ?? throw new InvalidOperationException($"{id}: seed {g.Seed} has no member at the fast fraction"))).ToList();
            return new Runs(grokkingFraction, fastFraction, grokking, fast, pairs);
        }
    }

    /// <summary>One seed's grokking and fast run at one kind of snapshot.</summary>
    private sealed record Pair(long Seed, ConditionAtLoss Grok, ConditionAtLoss Fast);

    /// <summary>Every seed's pair at the rule's snapshot and at the fit (the run's train-accuracy threshold).</summary>
    private sealed record Sides(List<Pair> AtLossLevel, List<Pair> AtFit, double FitLevel)
    {
        public string FitLabel => $"at the fit (first snapshot with >= {FitLevel:P0} train accuracy; reported, not judged)";
    }

    /// <summary>Which snapshot one set of numbers is read at, as their names, keys and tolerances say.</summary>
    /// <param name="At">Where, in the names ("at the snapshot", or the fit's label).</param>
    /// <param name="KeySuffix">Appended to the name part of the keys ("" for the rule's snapshot, "AtFit").</param>
    /// <param name="Rule">What selected the snapshot: the tolerance shown beside its train loss.</param>
    /// <param name="Judged">Whether κ there decides (the rule's snapshot) or is only reported (the fit).</param>
    private sealed record SnapshotKind(string At, string KeySuffix, string Rule, bool Judged);
}
