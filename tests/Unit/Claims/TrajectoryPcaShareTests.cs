using Grokking.Claims.Analyses;
using Grokking.Claims.Contracts;
using Grokking.Runtime;
using Grokking.Training;
using static TorchSharp.torch;

namespace Grokking.Tests.Unit.Claims;

/// <summary>
/// PG-4's analysis (<see cref="TrajectoryPcaShare"/>) on hand-written snapshot files: trajectories that lie exactly on
/// a plane (share 1), one with a hand-computed share of 13/14, too few snapshots, a diverged member, and the cache.
/// </summary>
public sealed class TrajectoryPcaShareTests
{
    private const int Parameters = 30;

    private static readonly long[] Seeds = [0, 1, 2];

    private static readonly double[] Fractions = [0.3, 0.5];

    private static (string Name, double Value) MinShare => ("minTopTwoShare", 0.98);

    /// <summary>
    /// A run whose member k sits at <paramref name="point"/>(k, t) at snapshot t (steps 10, 20, ...), stored as a
    /// [K, 10] and a [K, 4, 5] parameter; rows at every snapshot.
    /// </summary>
    private static SyntheticRun Run(int snapshots, Func<int, int, double[]> point, int divergedMember = -1, long divergedAt = MemberEvents.Never)
    {
        TorchRuntime.Initialize(DeviceChoice.Cpu);
        var run = new SyntheticRun(SyntheticRun.Sweep(Seeds, Fractions));
        int k = run.Members.Count;
        for (int t = 0; t < snapshots; t++)
        {
            long step = 10L * (t + 1);
            var points = Enumerable.Range(0, k).Select(m => point(m, t)).ToArray();
            using var a = tensor(points.SelectMany(p => p[..10]).ToArray(), [k, 10]);
            using var b = tensor(points.SelectMany(p => p[10..]).ToArray(), [k, 4, 5]);
            run.Save(step, new Dictionary<string, Tensor> { ["a"] = a, ["b"] = b });
            foreach (var m in run.Members)
            {
                run.Row(m.Index, step, 0.1, 1, 1, m.Index == divergedMember && step >= divergedAt ? divergedAt : MemberEvents.Never);
            }
        }

        return run;
    }

    /// <summary>Member m's trajectory on a plane of its own: offset + A_t u + B_t v with random coefficients.</summary>
    private static Func<int, int, double[]> OnPlanes(int seed)
    {
        var rng = new Random(seed);
        var planes = Enumerable.Range(0, Seeds.Length * Fractions.Length).Select(_ => (Offset: Vector(rng, 3), U: Vector(rng, 1), V: Vector(rng, 1), A: Vector(rng, 1), B: Vector(rng, 1))).ToArray();
        return (m, t) => planes[m].Offset.Select((o, j) => o + (planes[m].A[t] * planes[m].U[j]) + (planes[m].B[t] * planes[m].V[j])).ToArray();
    }

    [Fact]
    public void Trajectories_on_planes_have_share_one_and_confirm()
    {
        using var run = Run(8, OnPlanes(1));

        var result = new TrajectoryPcaShare().Analyze(Universal(run.Context("PG-4", MinShare)));

        result.Verdict.Should().Be(Verdict.Confirmed, result.Reason);
        var min = result.Measured.Single(m => m.Key == "topTwoShareMin");
        min.Value.Should().BeApproximately(1, 1e-9, "points on a plane, stored in float32, keep all their variance in two components");
        min.PerSeed.Should().HaveCount(6);
        result.Measured.Single(m => m.Key == "topTwoShare-r0.3").PerSeed.Should().HaveCount(3);
        result.Measured.Single(m => m.Key == "snapshots").Value.Should().Be(8);
        result.Figures.Should().ContainSingle();
        File.Exists(Path.Combine(run.Report, result.Figures[0].PngPath)).Should().BeTrue();
    }

    [Fact]
    public void A_member_with_a_third_of_its_variance_pattern_off_the_plane_refutes_with_its_share()
    {
        // Four snapshots at (±3, ±2, ±1) along three coordinate axes in a Hadamard pattern: the columns are centered
        // and orthogonal, so the component variances are 9 : 4 : 1 and the top-two share is 13/14 = 0.9286.
        double[][] design = [[3, 2, 1], [3, -2, -1], [-3, 2, -1], [-3, -2, 1]];
        int[] axes = [3, 11, 20];
        var planes = OnPlanes(2);
        var offset = Vector(new Random(3), 3);
        int odd = (1 * Fractions.Length) + 1; // seed 1, r 0.5 (members are seed-major)
        using var run = Run(4, (m, t) => m != odd ? planes(m, t) : offset.Select((o, j) => o + axes.Select((axis, i) => axis == j ? design[t][i] : 0).Sum()).ToArray());

        var result = new TrajectoryPcaShare().Analyze(Universal(run.Context("PG-4", MinShare)));

        result.Verdict.Should().Be(Verdict.Refuted, result.Reason);
        result.Reason.Should().Contain("seed 1, r 0.5: top-two share 0.9286 <= 0.98");
        result.Measured.Single(m => m.Key == "topTwoShareMin").Value.Should().BeApproximately(13.0 / 14, 1e-6);
    }

    [Fact]
    public void Two_snapshots_cannot_decide()
    {
        using var run = Run(2, OnPlanes(4));

        var result = new TrajectoryPcaShare().Analyze(Universal(run.Context("PG-4", MinShare)));

        result.Verdict.Should().Be(Verdict.Inconclusive);
        result.Reason.Should().Contain("2 snapshot(s); a trajectory PCA needs at least 3");
        result.Figures.Should().BeEmpty();
    }

    [Fact]
    public void A_diverged_member_is_read_up_to_its_divergence_and_named()
    {
        using var run = Run(8, OnPlanes(5), divergedMember: 2, divergedAt: 55);

        var result = new TrajectoryPcaShare().Analyze(Universal(run.Context("PG-4", MinShare)));

        // Five of six members completed and hold; the diverged one is named, not counted.
        result.Verdict.Should().Be(Verdict.Confirmed, result.Reason);
        result.Reason.Should().Contain("seed 1, r 0.3: top-two share").And.Contain("over 6 snapshots (PC1").And.Contain("(diverged at step 55");
        TrajectoryPcaShare.StepsOf([10, 20, 30, 40, 50, 60, 70, 80], new MemberEvents(2, -1, -1, 55)).Should().Equal(10, 20, 30, 40, 50, 60);
        TrajectoryPcaShare.StepsOf([10, 20, 30], MemberEvents.None(0)).Should().Equal(10, 20, 30);
    }

    [Fact]
    public void A_second_analysis_reads_the_cache_not_the_snapshots()
    {
        using var run = Run(6, OnPlanes(6));
        var first = new TrajectoryPcaShare().Analyze(Universal(run.Context("PG-4", MinShare)));

        run.CorruptSnapshots();
        var second = new TrajectoryPcaShare().Analyze(Universal(run.Context("PG-4", MinShare)));

        second.Verdict.Should().Be(first.Verdict);
        second.Measured.Single(m => m.Key == "topTwoShareMin").PerSeed.Should().Equal(first.Measured.Single(m => m.Key == "topTwoShareMin").PerSeed);
    }

    /// <summary>The claim file's scope: PG-4 is universal.</summary>
    internal static ClaimContext Universal(ClaimContext context)
    {
        context.Claim.Scope = new ScopeDeclaration { Kind = "universal", Reason = "r" };
        return context;
    }

    private static double[] Vector(Random rng, double scale) =>
        [.. Enumerable.Range(0, Parameters).Select(_ => scale * (rng.NextDouble() - 0.5))];
}
