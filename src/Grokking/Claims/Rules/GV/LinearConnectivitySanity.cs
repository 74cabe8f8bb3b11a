using Grokking.Claims.Analyses;
using Grokking.Claims.Contracts;
using Grokking.Claims.Toolkit;
using Grokking.Landscape;

namespace Grokking.Claims.Rules.GV;

/// <summary>
/// GV-2, the sanity check of the barrier measurement: two nearby snapshots of one run (point 1 and one metric
/// interval later) are linearly connected, and two independently initialized solutions (robust points 2 of two
/// seeds, same data) are not — by the same <see cref="LinearConnectivityLimits"/>. Every nearby pair must be
/// connected and every independent pair must not be; independent solutions that turn out connected refute it.
/// </summary>
public sealed class LinearConnectivitySanity : LegacyClaimAnalysis
{
    public override string Name => "linear-connectivity-sanity";

    public override IReadOnlyList<string> RequiredTolerances => ["robustValAccuracy", .. LinearConnectivityLimits.Tolerances];

    public override IReadOnlyList<string> RequiredPaperValues => [];

    public override AnalysisResult Analyze(ClaimContext context)
    {
        var claim = context.Claim;
        var limits = LinearConnectivityLimits.Of(context);
        var land = new GrokkingLandscape(context, claim.ToleranceOf("robustValAccuracy"));
        int gap = context.RunOptions.Train.MetricsEvery;
        var nearby = land.Members
            .Where(m => m.Point1Step is { } s && land.Checkpoints.Has(s + gap))
            .Select(m => new PathSpec(PathKind.Segment, [m.AtPoint1, m.AtPoint1 with { Step = m.AtPoint1.Step + gap }], $"seed {m.Spec.Seed} nearby"))
            .ToList();
        var solved = land.Members.Where(m => m.Point2Step is not null).ToList();
        var independent = !land.MembersShareData ? [] : GrokkingLandscape.CyclicPairs(solved)
            .Select(p => new PathSpec(PathKind.Segment, [p.First.AtPoint2, p.Second.AtPoint2], $"seeds {p.First.Spec.Seed}-{p.Second.Spec.Seed} independent"))
            .ToList();
        var evaluations = land.Evaluate("gv-sanity", [.. nearby, .. independent]);
        var near = evaluations.Take(nearby.Count).ToList();
        var apart = evaluations.Skip(nearby.Count).ToList();
        var findings = near.Select((e, i) => Judge(i, e, limits, expectConnected: true))
            .Concat(apart.Select((e, i) => Judge(i, e, limits, expectConnected: false)))
            .ToList();
        var (verdict, reason) = SeedVerdicts.Combine(findings);
        if (verdict == Verdict.Confirmed && (near.Count < SeedVerdicts.MinimumSeeds || apart.Count < SeedVerdicts.MinimumSeeds))
        {
            string why = land.MembersShareData ? "" : $" ({GrokkingLandscape.SeparateSplits})";
            (verdict, reason) = (Verdict.Inconclusive, $"{near.Count} nearby and {apart.Count} independent pair(s); at least {SeedVerdicts.MinimumSeeds} of each are required{why}; {reason}");
        }

        var nearError = near.Select(e => e.Barrier(PathMetric.TrainError)).ToList();
        var nearLoss = near.Select(e => e.Barrier(PathMetric.TrainLoss)).ToList();
        var apartError = apart.Select(e => e.Barrier(PathMetric.TrainError)).ToList();
        var apartLoss = apart.Select(e => e.Barrier(PathMetric.TrainLoss)).ToList();
        var measured = new List<MeasuredValue>
        {
            new($"nearby snapshots ({gap} steps apart): train error barrier, max over seeds", MemberSeries.Max(nearError), "", 0, $"<= {limits.MaxErrorBarrier}", nearError, Key: "nearbyErrorBarrier"),
            new("nearby snapshots: train loss barrier, max over seeds", MemberSeries.Max(nearLoss), "nats", 0, $"<= {limits.MaxLossBarrier:0.####}", nearLoss, Key: "nearbyLossBarrier"),
            new("independent solutions (points 2 of two seeds): train error barrier, min over pairs", MemberSeries.Min(apartError), "", null, $"> {limits.MaxErrorBarrier} (or the loss barrier above its threshold)", apartError, Key: "independentErrorBarrier"),
            new("independent solutions: train loss barrier, min over pairs", MemberSeries.Min(apartLoss), "nats", null, "reported", apartLoss, Key: "independentLossBarrier"),
        };
        var (dir, name) = context.Figure("sanity");
        string title = $"{claim.Id}: nearby snapshots of one run and independent solutions, straight segments";
        return new AnalysisResult(verdict, reason, measured, [context.FigureOf(title, PathFigure.Write(dir, name, title, evaluations))]);
    }

    public static SeedFinding Judge(int index, PathEvaluation segment, LinearConnectivityLimits limits, bool expectConnected)
    {
        bool connected = limits.Connected(segment);
        string numbers = LinearConnectivityLimits.Describe(segment);
        string subject = segment.Label;
        return connected == expectConnected
            ? new SeedFinding(index, Verdict.Confirmed, $"{numbers} ({(connected ? "connected" : "a barrier")}, as expected)") { Unit = subject }
            : new SeedFinding(index, Verdict.Refuted, $"{numbers}: {(connected ? "linearly connected although independently initialized" : "a barrier between nearby snapshots")}") { Unit = subject };
    }
}
