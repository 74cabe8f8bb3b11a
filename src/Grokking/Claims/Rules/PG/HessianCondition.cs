using Grokking.Claims.Analyses;
using Grokking.Claims.Contracts;
using Grokking.Claims.Toolkit;
using Grokking.Landscape;
using Grokking.Training;

namespace Grokking.Claims.Rules.PG;

/// <summary>
/// PG-6 (Notsawo et al. 2023, App. B.1): grokking runs have larger Hessian condition numbers λmax/λmin of the train
/// loss than runs that generalize at once. Per seed the run at the smallest fraction every seed generalizes at (it groks) is compared with
/// the run at the largest fraction (it generalizes at once; <see cref="FractionSweep.Extremes"/>), each at its first weight snapshot whose full-batch train
/// loss (the metric row at that step) is at most <c>lossLevel</c>, so both are compared at the same fit.
/// <para>
/// λmax and λmin are Lanczos estimates (<c>lanczosIterations</c> steps, the members of a fraction in one population) of the
/// Hessian of the train data loss, without weight decay, as the paper's code takes it (<see cref="TrainLossHessian"/>).
/// λmin is the paper's shifted estimate (the eigenvalue of H − 0.51·λmax·I of largest magnitude, plus the shift):
/// the most negative eigenvalue at a saddle, the smallest positive one when it is below 0.02·λmax, else λmax itself
/// (κ = 1). The paper plots the signed ratio; "larger" is read on κ = λmax / |λmin|, so a negative λmin counts by its
/// magnitude (it is reported with its sign).
/// </para>
/// <para>
/// Per seed κ_grok &gt; κ_fast must hold; a seed with κ_grok ≤ κ_fast refutes, one whose run never reaches the loss
/// level (or diverges before it) cannot decide, and <see cref="SeedVerdicts"/> combines at least three seeds. The
/// validation accuracies at the two snapshots are reported to show the runs are what they stand for (the fast one
/// already generalizes, the grokking one not yet). κ at each run's fit (its first snapshot at the run's train-accuracy
/// threshold) is measured and reported beside them, never judged. Results are kept in the run's landscape cache.
/// </para>
/// </summary>
public sealed class HessianCondition : LegacyClaimAnalysis
{
    public override string Name => "hessian-condition";

    public override IReadOnlyList<string> RequiredTolerances => ["lossLevel", "lanczosIterations"];

    public override IReadOnlyList<string> RequiredPaperValues => [];

    public override AnalysisResult Analyze(ClaimContext context)
    {
        var claim = context.Claim;
        double lossLevel = claim.ToleranceOf("lossLevel");
        int iterations = (int)claim.ToleranceOf("lanczosIterations");
        var (grokkingFraction, fastFraction) = FractionSweep.Extremes(context, SlicePlan.GrokkedLevel);
        if (grokkingFraction >= fastFraction)
        {
            throw new InvalidOperationException($"{claim.Id}: the grokking run needs a smaller train fraction than the fast run; the sweep's smallest generalizing fraction is {FractionSweep.Tag(grokkingFraction)} and its largest {FractionSweep.Tag(fastFraction)}");
        }

        var grokking = FractionSweep.At(context, grokkingFraction, "the grokking fraction");
        var fast = FractionSweep.At(context, fastFraction, "the fast fraction");
        var checkpoints = new RunCheckpoints(context.RunDirectory, context.Device ?? TorchSharp.torch.CPU);
        var result = context.Result;
        var runs = grokking.Concat(fast).ToList();
        var rows = runs.ToDictionary(m => m.Index, m => AtLossLevel(result, checkpoints.Steps, m.Index, lossLevel));

        // Beside the rule's comparison, κ at each run's fit (its first snapshot at the train-accuracy threshold), where
        // both kinds of run have memorized: reported whatever the verdict, never judged, so a run that never reaches the
        // loss level still shows its condition numbers. Both snapshot kinds are measured in one pass, each point once.
        double fitLevel = context.RunOptions.Train.TrainAccuracyThreshold;
        var fitRows = runs.ToDictionary(m => m.Index, m => AtFit(result, checkpoints.Steps, m.Index, fitLevel));
        var points = runs.SelectMany(m => new[] { rows[m.Index], fitRows[m.Index] }.OfType<MetricRow>().Select(r => (Member: m, r.Step))).Distinct().ToList();
        var measured = Measure(context, checkpoints, points, iterations);
        HessianMeasurement? At(MemberSpec m, MetricRow? row) => row is null ? null : measured.GetValueOrDefault((m.Index, row.Step));

        ConditionAtLoss Side(string role, MemberSpec m) => new(role, m, result.Events[m.Index], rows[m.Index], At(m, rows[m.Index]));
        var pairs = grokking.Select(g => (Seed: g.Seed, Grok: Side("grokking", g), Fast: Side("fast", fast.FirstOrDefault(f => f.Seed == g.Seed)
            ?? throw new InvalidOperationException($"{claim.Id}: seed {g.Seed} has no member at the fast fraction")))).ToList();
        var findings = pairs.Select(p => Judge(p.Seed, p.Grok, p.Fast, lossLevel, result.StepsCompleted)).ToList();
        var (verdict, reason) = SeedVerdicts.Combine(findings);
        reason = $"grokking run r = {FractionSweep.Tag(grokkingFraction)} (the smallest fraction every seed generalizes at), fast run r = {FractionSweep.Tag(fastFraction)} (the largest); κ = λmax/|λmin| of the train data loss (λmin by the paper's shifted Lanczos estimate; a negative λmin, a saddle direction, is reported signed and counts by its magnitude) at each run's first snapshot with train loss <= {lossLevel}, per seed κ_grok > κ_fast: {reason}";

        ConditionAtLoss FitSide(ConditionAtLoss side) => side with { Row = fitRows[side.Member.Index], Measurement = At(side.Member, fitRows[side.Member.Index]) };
        var fits = pairs.Select(p => (p.Seed, Grok: FitSide(p.Grok), Fast: FitSide(p.Fast))).ToList();
        string fitLabel = $"at the fit (first snapshot with >= {fitLevel:P0} train accuracy; reported, not judged)";
        reason += $". {char.ToUpperInvariant(fitLabel[0])}{fitLabel[1..]}: " + string.Join("; ", fits.Select(f => $"seed {f.Seed}: {DescribeOrMissing(f.Grok)} vs {DescribeOrMissing(f.Fast)}"));

        var values = ValuesOf("grok", [.. pairs.Select(p => p.Grok)], "at the snapshot", "", $"<= {lossLevel}", judged: true)
            .Concat(ValuesOf("fast", [.. pairs.Select(p => p.Fast)], "at the snapshot", "", $"<= {lossLevel}", judged: true))
            .Concat(ValuesOf("grok", [.. fits.Select(f => f.Grok)], fitLabel, "AtFit", $">= {fitLevel:P0} train accuracy", judged: false))
            .Concat(ValuesOf("fast", [.. fits.Select(f => f.Fast)], fitLabel, "AtFit", $">= {fitLevel:P0} train accuracy", judged: false))
            .ToList();
        var plotted = pairs.Select(p => (p.Seed, p.Grok, p.Fast, "")).Concat(fits.Select(f => (f.Seed, f.Grok, f.Fast, " at the fit"))).ToList();
        return new AnalysisResult(verdict, reason, values, [Figure(context, plotted)]);
    }

    /// <summary>
    /// The numbers of one role's runs at one snapshot kind (per seed, with their median), under keys
    /// "name<paramref name="keySuffix"/>-<paramref name="key"/>"; only the judged κ carries the rule as its tolerance.
    /// </summary>
    private static IEnumerable<MeasuredValue> ValuesOf(string key, IReadOnlyList<ConditionAtLoss> sides, string at, string keySuffix, string snapshotRule, bool judged)
    {
        string tag = $"{sides[0].Role} run (r {FractionSweep.Tag(sides[0].Member.TrainFraction)})";
        string where = judged ? "" : $" {at}";
        MeasuredValue Value(string name, string suffix, Func<ConditionAtLoss, double> read, string unit = "", string? tolerance = null)
        {
            var perSeed = sides.Select(read).ToList();
            return new($"{tag}: {name} (median over seeds)", MemberSeries.Median(perSeed), unit, null, tolerance, perSeed, Key: $"{suffix}{keySuffix}-{key}");
        }

        yield return Value($"κ = λmax/|λmin|{where}", "kappa", s => s.Measurement?.Kappa ?? double.NaN, tolerance: judged && key == "grok" ? "> the fast run's, per seed" : null);
        yield return Value($"λmax{where}", "lambdaMax", s => s.Measurement?.LambdaMax ?? double.NaN);
        yield return Value($"λmin (shifted estimate, signed){where}", "lambdaMin", s => s.Measurement?.LambdaMin ?? double.NaN);
        yield return Value($"snapshot step{where}", "step", s => s.Row?.Step ?? double.NaN, "step");
        yield return Value($"train loss {at}", "trainLoss", s => s.Row?.TrainLoss ?? double.NaN, tolerance: snapshotRule);
        yield return Value($"validation accuracy {at}", "valAccuracy", s => s.Row?.ValAccuracy ?? double.NaN);
    }

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

    private static MetricRow? FirstSnapshot(TrainingResult result, IReadOnlyList<long> snapshotSteps, int member, Func<MetricRow, bool> holds)
    {
        var saved = snapshotSteps.ToHashSet();
        return MemberSeries.RowsBeforeDivergence(result, member).FirstOrDefault(r => saved.Contains(r.Step) && holds(r));
    }

    private static string DescribeOrMissing(ConditionAtLoss s) =>
        s.Measurement is null ? $"{s.Role} r {FractionSweep.Tag(s.Member.TrainFraction)}: no snapshot" : Describe(s);

    /// <summary>One seed's finding from its two runs.</summary>
    public static SeedFinding Judge(long seed, ConditionAtLoss grokking, ConditionAtLoss fast, double lossLevel, long budget)
    {
        var missing = new[] { grokking, fast }.Where(s => s.Row is null || s.Measurement is null).ToList();
        if (missing.Count > 0)
        {
            string why = string.Join("; ", missing.Select(s => $"the {s.Role} run (r {FractionSweep.Tag(s.Member.TrainFraction)}) " + (s.Events.Diverged
                ? $"diverged at step {s.Events.DivergedStep} before a snapshot with train loss <= {lossLevel}"
                : $"has no snapshot with train loss <= {lossLevel} within {budget} steps")));
            return new SeedFinding(seed, Verdict.Inconclusive, why, missing.Any(s => s.Events.Diverged));
        }

        double kg = grokking.Measurement!.Kappa;
        double kf = fast.Measurement!.Kappa;
        string numbers = $"{Describe(grokking)} vs {Describe(fast)}";
        string roles = grokking.Row!.ValAccuracy < fast.Row!.ValAccuracy
            ? ""
            : $"; not as meant: the grokking run's validation accuracy at its snapshot ({grokking.Row.ValAccuracy:P1}) is not below the fast run's ({fast.Row.ValAccuracy:P1})";
        if (!double.IsFinite(kg) || !double.IsFinite(kf))
        {
            return new SeedFinding(seed, Verdict.Inconclusive, $"a condition number is not finite: {numbers}{roles}");
        }

        bool holds = kg > kf;
        return new SeedFinding(seed, holds ? Verdict.Confirmed : Verdict.Refuted, $"κ_grok {kg:G3} {(holds ? ">" : "<=")} κ_fast {kf:G3}: {numbers}{roles}");
    }

    private static string Describe(ConditionAtLoss s)
    {
        var m = s.Measurement!;
        var row = s.Row!;
        string diverged = s.Events.Diverged ? $", diverged later at step {s.Events.DivergedStep}" : "";
        return $"{s.Role} r {FractionSweep.Tag(s.Member.TrainFraction)} at step {row.Step}: κ {m.Kappa:G3} = λmax {m.LambdaMax:G4} / |λmin {m.LambdaMin:G3}| (train loss {row.TrainLoss:G3}, validation accuracy {row.ValAccuracy:P1}{diverged})";
    }

    /// <summary>The Hessian extremes at every (member, snapshot step) point, one population per fraction (cached in the run directory).</summary>
    private static Dictionary<(int Member, long Step), HessianMeasurement> Measure(ClaimContext context, RunCheckpoints checkpoints, List<(MemberSpec Member, long Step)> points, int iterations)
    {
        if (points.Count == 0)
        {
            return [];
        }

        var o = context.RunOptions;
        var identity = new { name = "hessian-condition", points = points.Select(p => new { p.Member.Index, p.Member.Seed, p.Member.TrainFraction, p.Step }), iterations, o.Model, o.Data };
        var list = new LandscapeCache(context.RunDirectory).GetOrCompute("hessian-condition", identity, () =>
        {
            context.Log?.Report($"landscape: Hessian extremes of {points.Count} member(s), {iterations} Lanczos steps");
            // One population per fraction: in one population the smaller training sets would be padded to the largest,
            // and every Hessian-vector product would pay for the padded rows.
            return points.GroupBy(p => p.Member.TrainFraction).SelectMany(group =>
            {
                var members = group.ToList();
                var state = checkpoints.Stack([.. members.Select(p => (p.Member.Index, p.Step))]);
                try
                {
                    var measured = TrainLossHessian.Measure(o.Model, o.Data, [.. members.Select(p => (p.Member.Seed, p.Member.TrainFraction))], state, context.Device ?? TorchSharp.torch.CPU, iterations);
                    return members.Select((p, i) => new HessianMeasurement(p.Member.Index, p.Step, measured[i].TrainLoss, measured[i].Extremes));
                }
                finally
                {
                    foreach (var t in state.Values)
                    {
                        t.Dispose();
                    }
                }
            }).ToList();
        });
        return list.ToDictionary(m => (m.Member, m.Step));
    }

    /// <summary>κ per seed for both runs, as dots on a log axis.</summary>
    private static ClaimFigure Figure(ClaimContext context, IReadOnlyList<(long Seed, ConditionAtLoss Grok, ConditionAtLoss Fast, string At)> pairs)
    {
        var series = pairs.SelectMany(p => new[] { p.Grok, p.Fast }.Where(s => s.Measurement is not null)
            .Select(s => ($"{s.Role} (r {FractionSweep.Tag(s.Member.TrainFraction)}){p.At}", new[] { (double)p.Seed }, new[] { s.Measurement!.Kappa }))).ToList();
        var (dir, file) = context.Figure("condition-numbers");
        string title = $"{context.Claim.Id}: Hessian condition number κ = λmax/|λmin| of the train loss, per seed";
        return context.FigureOf(title, Plots.LineChart.Write(dir, file, title, "seed", "κ (log scale)", series, logY: true));
    }
}
