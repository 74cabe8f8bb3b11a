using Grokking.Claims.Analyses;
using Grokking.Landscape;
using Grokking.Runtime;

namespace Grokking.Claims.Toolkit;

/// <summary>
/// The landscape of a grokking run as the MC and GV claims read it: each member's point 1 and robust point 2 (in
/// steps, where the run kept their weights), the chain of periodic snapshots between them, and paths through
/// those weights evaluated or fitted once and kept in the run's landscape cache, so claims that read the same
/// path share it. Every path of one call is one population computation.
/// </summary>
public sealed class GrokkingLandscape
{
    private readonly ClaimContext context;
    private readonly LandscapeSetup setup;
    private readonly LandscapeCache cache;

    /// <summary>
    /// The landscape of the context's members, point 2 read at <paramref name="point2"/>'s level (the claim file's
    /// robust point 2; its agreement with the run's snapshot level was checked at load).
    /// </summary>
    public GrokkingLandscape(ClaimContext context, RobustPoint2Snapshot point2)
    {
        this.context = context;
        if (point2.Check(context.RunOptions) is { } mismatch)
        {
            // Checked at load for claim files; this guards a context built in code.
            throw new InvalidOperationException($"{context.Claim.Id}: {mismatch}");
        }

        Members = MembersOf(context, point2.RobustValAccuracy);
        var first = Members[0].Spec;
        if (Members.Any(m => m.Spec.WeightDecay != first.WeightDecay || m.Spec.LearningRate != first.LearningRate))
        {
            throw new InvalidOperationException(
                $"{context.Claim.Id}: a landscape claim reads members of one weight decay and learning rate (its L2 term and fit); "
                + "narrow its member filter");
        }

        setup = LandscapeSetup.Of(context.RunOptions, first, context.Device ?? TorchSharp.torch.CPU);
        cache = new LandscapeCache(context.RunDirectory);
        Checkpoints = new RunCheckpoints(context.RunDirectory, setup.Device);
    }

    /// <summary>The claim's members with their points, and the steps of the snapshots where the points were reached.</summary>
    private static List<GrokkingMember> MembersOf(ClaimContext context, double robustVal)
    {
        var result = context.Result;
        long? Step(double epoch) => double.IsFinite(epoch) ? (long)Math.Round(epoch * result.StepsPerEpoch) : null;
        var members = context.Members.Select(m =>
        {
            var p = GrokkingPoints.Of(result, m.Index, robustVal);
            return new GrokkingMember(m, p, Step(p.Point1), Step(p.RobustPoint2));
        }).ToList();
        return members.Count > 0
            ? members
            : throw new InvalidOperationException($"{context.Claim.Id}: the claim reads no member of the run");
    }

    public IReadOnlyList<GrokkingMember> Members { get; }

    public RunCheckpoints Checkpoints { get; }

    public LandscapeSetup Setup => setup;

    /// <summary>Point 1, the periodic snapshots strictly between (Train:WeightsEvery), and the robust point 2.</summary>
    public IReadOnlyList<PathAnchor> Chain(GrokkingMember m)
    {
        var train = context.RunOptions.Train;
        if (train.WeightsEvery <= 0)
        {
            throw new InvalidOperationException($"{context.Claim.Id}: chains need periodic snapshots; set Train:WeightsEvery in the experiment");
        }

        var p1 = m.AtPoint1;
        var p2 = m.AtPoint2;
        var between = PeriodicSteps(p1.Step, p2.Step, Checkpoints.Steps, train.WeightsEvery, train.MetricsEvery);
        return [p1, .. between.Select(s => p1 with { Step = s }), p2];
    }

    /// <summary>
    /// MC-4's chain as MC's Fig. 4 draws it (issue 25): point 1, the periodic snapshots at least one grid interval
    /// (Train:WeightsEvery) after point 1 and at least one before the robust point 2, then point 2 - so the end
    /// segments span one to two intervals (the paper's 585 -> 700 and 2300 -> 2402), never a few epochs.
    /// <see cref="Chain"/> (every snapshot strictly between) stays what GV-1 and GV-3 read.
    /// </summary>
    public IReadOnlyList<PathAnchor> WholeIntervalChain(GrokkingMember m)
    {
        var train = context.RunOptions.Train;
        if (train.WeightsEvery <= 0)
        {
            throw new InvalidOperationException($"{context.Claim.Id}: chains need periodic snapshots; set Train:WeightsEvery in the experiment");
        }

        var p1 = m.AtPoint1;
        var between = WholeIntervalSteps(p1.Step, m.AtPoint2.Step, Checkpoints.Steps, train.WeightsEvery, train.MetricsEvery);
        return [p1, .. between.Select(s => p1 with { Step = s }), m.AtPoint2];
    }

    /// <summary>
    /// The periodic snapshot steps (a step within one metric interval past a multiple of <paramref name="every"/>)
    /// strictly between the points: the joins of <see cref="Chain"/>.
    /// </summary>
    public static IReadOnlyList<long> PeriodicSteps(long point1, long point2, IEnumerable<long> snapshots, long every, long metricsEvery) =>
        snapshots.Where(s => s > point1 && s < point2 && s % every < metricsEvery).ToList();

    /// <summary>
    /// The joins of <see cref="WholeIntervalChain"/>: the periodic snapshot steps at least <paramref name="every"/> steps after
    /// point 1 and before point 2.
    /// </summary>
    public static IReadOnlyList<long> WholeIntervalSteps(long point1, long point2, IEnumerable<long> snapshots, long every, long metricsEvery) =>
        PeriodicSteps(point1, point2, snapshots, every, metricsEvery).Where(s => s - point1 >= every && point2 - s >= every).ToList();

    /// <summary>The members that reached both points (the others cannot give a path from point 1 to point 2).</summary>
    public IReadOnlyList<GrokkingMember> WithBothPoints => Members.Where(m => m.Point1Step is not null && m.Point2Step is not null).ToList();

    /// <summary>The straight segment from point 1 to the robust point 2 of every member that has both (MC-3, MC-8, MC-5).</summary>
    public IReadOnlyDictionary<int, PathEvaluation> SegmentsFromPoint1ToPoint2() =>
        FromPoint1ToPoint2("segment-p1-p2", PathKind.Segment, m => [m.AtPoint1, m.AtPoint2]);

    /// <summary>
    /// The one-bend polyline (Def. 3) fitted from point 1 to the robust point 2 of every member that has both, by member
    /// index (MC-5, MC-9: one fit, cached under one name).
    /// </summary>
    public IReadOnlyDictionary<int, PathEvaluation> PolylinesFromPoint1ToPoint2()
    {
        var ready = WithBothPoints;
        var specs = ready.Select(m => new PathSpec(PathKind.Polyline, [m.AtPoint1, m.AtPoint2], $"seed {m.Spec.Seed} polyline")).ToList();
        var study = Fit("polyline-p1-p2", specs);
        return ready.Select((m, i) => (m.Spec.Index, Curve: study.Curves[i])).ToDictionary(x => x.Index, x => x.Curve);
    }

    /// <summary>
    /// The chain from point 1 through the periodic snapshots to the robust point 2 of every member that has both
    /// (MC-4, GV-1, GV-3).
    /// </summary>
    public IReadOnlyDictionary<int, PathEvaluation> ChainsFromPoint1ToPoint2() =>
        FromPoint1ToPoint2("chain-p1-p2", PathKind.Chain, Chain);

    private Dictionary<int, PathEvaluation> FromPoint1ToPoint2(string name, PathKind kind, Func<GrokkingMember, IReadOnlyList<PathAnchor>> anchors)
    {
        var members = WithBothPoints;
        var evaluations = Evaluate(name, members.Select(m => new PathSpec(kind, anchors(m), $"seed {m.Spec.Seed}")).ToList());
        return members.Select((m, i) => (m.Spec.Index, evaluations[i])).ToDictionary(x => x.Index, x => x.Item2);
    }

    /// <summary>
    /// MC-4's chains (<see cref="WholeIntervalChain"/>) of every member that has both points; MC-3 and MC-8 read their last
    /// segments.
    /// </summary>
    public IReadOnlyDictionary<int, PathEvaluation> WholeIntervalChainsFromPoint1ToPoint2() =>
        FromPoint1ToPoint2("chain-whole-intervals-p1-p2", PathKind.Chain, WholeIntervalChain);

    /// <summary>
    /// Polylines fitted between one point of two members, for cyclic pairs of the members that have it (MC-6: point
    /// 1 and 1'; MC-7: point 2 and 2'): (label, curve) per pair.
    /// </summary>
    public IReadOnlyList<(string Pair, PathEvaluation Curve)> PairPolylines(string name, Func<GrokkingMember, PathAnchor?> point)
    {
        var having = Members.Select(m => (Member: m, Anchor: point(m))).Where(x => x.Anchor is not null).ToList();
        var pairs = CyclicPairs(having);
        var specs = pairs
            .Select(p => new PathSpec(
                PathKind.Polyline, [p.First.Anchor!, p.Second.Anchor!], $"seeds {p.First.Member.Spec.Seed}-{p.Second.Member.Spec.Seed}"))
            .ToList();
        var study = Fit(name, specs);
        return specs.Select((s, i) => (s.Label, study.Curves[i])).ToList();
    }

    /// <summary>Why a member gives no path from point 1 to point 2: an inconclusive finding (marked diverged when it did).</summary>
    public SeedFinding Missing(GrokkingMember m)
    {
        double budget = context.Result.EpochOf(context.Result.StepsCompleted);
        string what = m.Point1Step is null ? "never reached 100% train accuracy" : "never reached the robust point 2";
        string when = m.Diverged ? $"diverged at epoch {m.Points.DivergedEpoch:0} and {what} before" : $"{what} within {budget:0} epochs";
        return new SeedFinding(m.Spec.Seed, Contracts.Verdict.Inconclusive, when + "; no path", m.Diverged);
    }

    /// <summary>
    /// One finding per member: <paramref name="judge"/> on the member's path where it has one (marked diverged when the
    /// member diverged), else why it has none (<see cref="Missing"/>).
    /// </summary>
    public List<SeedFinding> FindingsOn(
        IReadOnlyDictionary<int, PathEvaluation> paths, Func<GrokkingMember, PathEvaluation, SeedFinding> judge) =>
        Members
            .Select(m => paths.TryGetValue(m.Spec.Index, out var e) ? judge(m, e) with { Diverged = m.Diverged } : Missing(m))
            .ToList();

    /// <summary>Epoch of a step, for labels.</summary>
    public double EpochOf(long step) => context.Result.EpochOf(step);

    /// <summary>
    /// True when every member trains on one train/validation split (Data:SplitSeed set): only then is a path between
    /// two members' weights a path between solutions of one task.
    /// </summary>
    public bool MembersShareData => context.RunOptions.Data.SplitSeed >= 0;

    /// <summary>Why a claim about two initializations cannot be decided on this run.</summary>
    public const string SeparateSplits =
        "the run gives every seed its own train/validation split (Data:SplitSeed is not set), so two seeds' solutions "
        + "solve different tasks and a path between them has no common data to be evaluated on; not decided";

    /// <summary>
    /// Consecutive pairs around a cycle: (a, b), (b, c), (c, a) — n pairs for n items (one for two), each item in two
    /// of them.
    /// </summary>
    public static IReadOnlyList<(T First, T Second)> CyclicPairs<T>(IReadOnlyList<T> items) => items.Count switch
    {
        < 2 => [],
        2 => [(items[0], items[1])],
        _ => Enumerable.Range(0, items.Count).Select(i => (items[i], items[(i + 1) % items.Count])).ToList(),
    };

    /// <summary>Segments and chains, evaluated on their grids (cached under <paramref name="name"/>).</summary>
    public IReadOnlyList<PathEvaluation> Evaluate(string name, IReadOnlyList<PathSpec> specs) =>
        cache.GetOrCompute(name, Identity(name, specs), () =>
        {
            context.Log?.Report($"landscape: evaluating {specs.Count} path(s) ({name})");
            using var anchors = new AnchorSet(Checkpoints, specs.SelectMany(s => s.Anchors));
            var paths = specs.Select(s => Path(s, anchors)).ToList();
            return PathEvaluator.Evaluate(setup, paths, context.Log).ToList();
        });

    /// <summary>One-bend curves fitted between their two anchors as one population, then evaluated (cached).</summary>
    public CurveStudy Fit(string name, IReadOnlyList<PathSpec> specs) =>
        cache.GetOrCompute(name, Identity(name, specs), () =>
        {
            using var anchors = new AnchorSet(Checkpoints, specs.SelectMany(s => s.Anchors));
            var requests = specs.Select((s, i) => new FitRequest(
                s.Kind,
                anchors.Get(s.Anchors[0]),
                anchors.Get(s.Anchors[^1]),
                SeedStreams.Derive(s.Anchors[0].Seed, SeedStreams.PathT, i),
                s.Label,
                FitEpochs(s))).ToList();
            context.Log?.Report($"landscape: fitting {specs.Count} curve(s) ({name}), {string.Join("/", requests.Select(r => r.Epochs))} epochs");
            CheckOneSplit(specs);
            var curves = CurveFitter.Fit(setup, requests, context.Log);
            try
            {
                var evaluations = PathEvaluator.Evaluate(setup, curves.Select(c => c.Path).ToList(), context.Log).ToList();
                return new CurveStudy(evaluations, curves.Select(c => c.LossPerEpoch()).ToList());
            }
            finally
            {
                foreach (var c in curves)
                {
                    c.Dispose();
                }
            }
        });

    /// <summary>
    /// A fit's budget: Landscape:FitEpochs, or when it is 0 Garipov et al.'s convention - as many epochs as the later
    /// end model trained (their curves between checkpoint-N models train for N epochs).
    /// </summary>
    public int FitEpochs(PathSpec spec) => setup.Options.FitEpochs > 0
        ? setup.Options.FitEpochs
        : (int)Math.Ceiling(EpochOf(spec.Anchors.Max(a => a.Step)));

    private object Identity(string name, IReadOnlyList<PathSpec> specs)
    {
        var o = context.RunOptions;
        return new { name, specs, o.Landscape, o.Model, o.Data, o.Train.BatchSize, setup.WeightDecay, setup.LearningRate };
    }

    private WeightPath Path(PathSpec spec, AnchorSet anchors)
    {
        CheckOneSplit([spec]);
        var vectors = spec.Anchors.Select(anchors.Get).ToList();
        return spec.Kind switch
        {
            PathKind.Segment => WeightPath.Segment(vectors[0], vectors[^1], spec.Label),
            PathKind.Chain => WeightPath.Chain(vectors, spec.Label),
            _ => throw new ArgumentException($"{spec.Kind} paths are fitted, not evaluated from anchors alone", nameof(spec)),
        };
    }

    /// <summary>
    /// A path between members of different seeds is evaluated on one member's data: only meaningful when every member
    /// has the same split.
    /// </summary>
    private void CheckOneSplit(IReadOnlyList<PathSpec> specs)
    {
        if (context.RunOptions.Data.SplitSeed < 0 && specs.Any(s => s.Anchors.Select(a => a.Seed).Distinct().Count() > 1))
        {
            throw new InvalidOperationException(
                $"{context.Claim.Id}: paths between members of different seeds need one train/validation split for all members; "
                + "set Data:SplitSeed in the experiment");
        }
    }

    /// <summary>Weight vectors loaded once per (member, step), each snapshot file read once, disposed together.</summary>
    private sealed class AnchorSet : IDisposable
    {
        private readonly Dictionary<(int, long), WeightVector> loaded = [];

        public AnchorSet(RunCheckpoints checkpoints, IEnumerable<PathAnchor> anchors)
        {
            foreach (var step in anchors.DistinctBy(a => (a.Member, a.Step)).GroupBy(a => a.Step))
            {
                var wanted = step.ToList();
                var vectors = checkpoints.LoadMembers(step.Key, wanted.Select(a => (a.Member, a.Seed, $"seed {a.Seed} step {a.Step}")).ToList());
                for (int i = 0; i < wanted.Count; i++)
                {
                    loaded[(wanted[i].Member, wanted[i].Step)] = vectors[i];
                }
            }
        }

        public WeightVector Get(PathAnchor a) => loaded[(a.Member, a.Step)];

        public void Dispose()
        {
            foreach (var v in loaded.Values)
            {
                v.Dispose();
            }
        }
    }
}
