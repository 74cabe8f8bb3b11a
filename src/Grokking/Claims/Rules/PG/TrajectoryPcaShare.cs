using Grokking.Claims.Analyses;
using Grokking.Claims.Contracts;
using Grokking.Claims.Toolkit;
using Grokking.Landscape;
using Grokking.Plots;
using Grokking.Training;

namespace Grokking.Claims.Rules.PG;

/// <summary>
/// PG-4 (Notsawo et al. 2023, App. B.2): the optimization trajectory is low-dimensional — the first two PCA
/// components of the weights hold more than <c>minTopTwoShare</c> (98%) of the variance. Per member, the rows are its
/// weights at every snapshot the run kept (Train:WeightsEvery and the event snapshots; the last one is θ_T) minus
/// θ_T, as the paper's code does before sklearn's PCA centers them (<see cref="TrajectoryPca"/>: the same numbers
/// from a Gram matrix, without the dense snapshots × parameters matrix).
/// <para>
/// The members' shares are one comparison with the threshold (<see cref="Thresholds"/>, by the claim's scope; PG-4 is
/// universal: one member below it by more than <see cref="Resolution"/> refutes, named with its share); a member with
/// fewer than <see cref="MinimumSnapshots"/> snapshots cannot decide. The negative control is the same rule on a
/// random walk through the same snapshot steps (<see cref="AnalyzeControl"/>). A diverged member's trajectory ends at its divergence (its
/// later snapshots repeat the frozen weights); its finding is marked diverged and counts as <see cref="SeedVerdicts"/>
/// says. The PCAs are kept in the run's landscape cache, so a second <c>verify</c> reads them.
/// </para>
/// </summary>
public sealed class TrajectoryPcaShare : ClaimAnalysis<TrajectoryPcaShare.Parameters>
{
    /// <summary>Two snapshots give one component (share 1 by construction); three are the least that can refute.</summary>
    public const int MinimumSnapshots = 3;

    /// <summary>Members drawn in the trajectory figure (the lowest seed's, spread over the fractions).</summary>
    private const int FigureMembers = 4;

    /// <summary>Components drawn in the explained-variance panel.</summary>
    private const int FigureComponents = 10;

    public override string Name => "trajectory-pca";

    public override SeedRule SeedRule => SeedRule.EveryMember;

    /// <summary>PG-4's rule: the share of the variance the first two components must exceed.</summary>
    public sealed record Parameters([Within(0, 1)] double MinTopTwoShare);

    /// <summary>
    /// The share is computed from float32 snapshots: a member's share is known to about float32's relative precision,
    /// the resolution within which a share just past the threshold is no counterexample.
    /// </summary>
    public const double Resolution = 1.0 / (1 << 23);

    public override string? ControlName => "random-walk-trajectory";

    public override AnalysisResult Analyze(ClaimContext context, Parameters parameters)
    {
        var members = context.Members;
        var checkpoints = new RunCheckpoints(context.RunDirectory, context.Device ?? TorchSharp.torch.CPU);
        var events = context.Result.Events;
        var stepsOf = members.ToDictionary(m => m.Index, m => StepsOf(checkpoints.Steps, events[m.Index]));
        var shares = Shares(context, checkpoints, [.. members.Where(m => stepsOf[m.Index].Count >= MinimumSnapshots)], stepsOf);
        var result = Decide(context, shares, stepsOf, parameters.MinTopTwoShare, "weight trajectory");
        IReadOnlyList<ClaimFigure> figures = shares.Count == 0 ? [] : [Figure(context, members, shares)];
        return result with { Figures = figures };
    }

    /// <summary>
    /// The negative control: the same rule on the trajectory of a random walk through the member's snapshot steps (the
    /// slides' "(random) walk in a valley" with no valley): independent isotropic steps in a space of very many weights,
    /// whose Gram matrix is min(s, t) in the steps (the limit of many dimensions, so no seed is drawn). Its variance
    /// spreads over the components as about 6 / (π² k²) (Antognini and Sohl-Dickstein 2018): about 0.77 in the first
    /// two, so a rule that reads "low-dimensional" as more than 98 % must refute it.
    /// </summary>
    public override AnalysisResult AnalyzeControl(ClaimContext context, Parameters parameters)
    {
        var checkpoints = new RunCheckpoints(context.RunDirectory, context.Device ?? TorchSharp.torch.CPU);
        var events = context.Result.Events;
        var stepsOf = context.Members.ToDictionary(m => m.Index, m => StepsOf(checkpoints.Steps, events[m.Index]));
        var shares = context.Members.Where(m => stepsOf[m.Index].Count >= MinimumSnapshots)
            .ToDictionary(m => m.Index, m => TrajectoryShare.Of(m.Index, TrajectoryPca.FromGram(RandomWalkGram(stepsOf[m.Index]))));
        return Decide(context, shares, stepsOf, parameters.MinTopTwoShare, "random-walk trajectory (control)");
    }

    /// <summary>Gram matrix of a many-dimensional random walk with unit step variance, read at <paramref name="steps"/>.</summary>
    public static double[,] RandomWalkGram(IReadOnlyList<long> steps)
    {
        var gram = new double[steps.Count, steps.Count];
        for (int s = 0; s < steps.Count; s++)
        {
            for (int t = 0; t < steps.Count; t++)
            {
                gram[s, t] = Math.Min(steps[s], steps[t]);
            }
        }

        return gram;
    }

    /// <summary>
    /// The rule on the members' shares: each member without a share is undecided (named), and the share of every member
    /// is one comparison with the threshold by the claim's scope (universal: one member past it by more than
    /// <see cref="Resolution"/> refutes).
    /// </summary>
    private static AnalysisResult Decide(
        ClaimContext context, Dictionary<int, TrajectoryShare> shares, Dictionary<int, IReadOnlyList<long>> stepsOf, double minShare,
        string what)
    {
        var members = context.Members;
        var events = context.Result.Events;
        var findings = members
            .Select(m => Judge(m, shares.GetValueOrDefault(m.Index), stepsOf[m.Index].Count, minShare, events[m.Index]))
            .ToList();
        var perMember = members.Select(m => shares.TryGetValue(m.Index, out var s) ? s.TopTwoShare : double.NaN).ToList();
        var comparison = Compare(context.Claim.ScopeKind, perMember, minShare, what);
        // A completed member without a share leaves the rule undecided, as do divergences in half the members or more.
        int diverged = findings.Count(f => f.Diverged);
        bool undecided = findings.Any(f => f.Verdict == Verdict.Inconclusive && !f.Diverged) || (diverged > 0 && diverged * 2 >= findings.Count);
        var verdict = SeedVerdicts.Worst([undecided ? Verdict.Inconclusive : Verdict.Confirmed, comparison.Verdict]);
        int snapshots = stepsOf.Values.Select(s => s.Count).DefaultIfEmpty(0).Max();
        string reason = $"{comparison.Verdict.ToString().ToUpperInvariant()}: {comparison.Reason}; per member (rows θ_t − θ_T over up to "
            + $"{snapshots} snapshots, against > {minShare}): {string.Join("; ", findings.Select(f => $"{f.Subject}: {f.Reason}"))}";
        return new AnalysisResult(verdict, reason, Values(members, shares, snapshots, minShare), []) { Comparisons = [comparison] };
    }

    /// <summary>The members' shares (NaN: none) against the threshold, by the claim's scope, at <see cref="Resolution"/>.</summary>
    public static Comparison Compare(ClaimScope scope, IReadOnlyList<double> perMember, double minShare, string what = "weight trajectory") =>
        Thresholds.Judge(scope, new Quantity("topTwoShare", $"top-two PCA share of each member's {what}"), perMember, Relation.AtLeast, minShare,
            Resolution);

    /// <summary>
    /// One member's finding: its share against the threshold (reported), or why it has none (undecided). Whether the
    /// share refutes is the comparison's to say (by scope and resolution), so a member with a share is not undecided.
    /// </summary>
    public static SeedFinding Judge(MemberSpec member, TrajectoryShare? share, int snapshots, double minShare, MemberEvents events)
    {
        string diverged = events.Diverged ? $" (diverged at step {events.DivergedStep}; its trajectory ends there)" : "";
        var (verdict, reason) = share switch
        {
            null => (Verdict.Inconclusive, $"{snapshots} snapshot(s); a trajectory PCA needs at least {MinimumSnapshots}"),
            { TopTwoShare: var s } when double.IsNaN(s) => (Verdict.Inconclusive, $"the weights never moved over {snapshots} snapshots"),
            { TopTwoShare: var s } => (Verdict.Confirmed,
                $"top-two share {s:0.0000}{(s > minShare ? " >" : " <=")} {minShare} over {snapshots} snapshots "
                + $"(PC1 {share.ExplainedVarianceRatio[0]:0.0000})"),
        };
        return new SeedFinding(member.Seed, verdict, reason + diverged, events.Diverged) { Unit = FractionSweep.Subject(member) };
    }

    private static List<MeasuredValue> Values(
        IReadOnlyList<MemberSpec> members, Dictionary<int, TrajectoryShare> shares, int snapshots, double minShare)
    {
        double ShareOf(MemberSpec m) => shares.TryGetValue(m.Index, out var s) ? s.TopTwoShare : double.NaN;
        var all = members.Select(ShareOf).ToList();
        var measured = new List<MeasuredValue>
        {
            new("top-two PCA share, smallest over the members (per member in the list)", MemberSeries.Min(all), "", null, $"> {minShare}", all,
                Key: "topTwoShareMin"),
            new("weight snapshots in the trajectory", snapshots, "", null, $">= {MinimumSnapshots}", null, Key: "snapshots"),
        };
        foreach (var fraction in members.GroupBy(m => m.TrainFraction).OrderBy(g => g.Key))
        {
            var perSeed = fraction.OrderBy(m => m.Seed).Select(ShareOf).ToList();
            string tag = FractionSweep.Tag(fraction.Key);
            measured.Add(new($"top-two PCA share at train fraction {tag} (median over seeds)",
                MemberSeries.Median(perSeed), "", null, $"> {minShare}", perSeed, Key: $"topTwoShare-r{tag}"));
        }

        return measured;
    }

    /// <summary>
    /// The snapshot steps of a member's trajectory: all of them, or for a diverged member those before its divergence
    /// and the first after it (the frozen weights: the last point it reached).
    /// </summary>
    public static IReadOnlyList<long> StepsOf(IReadOnlyList<long> steps, MemberEvents events) => !events.Diverged
        ? steps
        : [.. steps.Where(s => s < events.DivergedStep), .. steps.Where(s => s >= events.DivergedStep).Take(1)];

    /// <summary>The trajectory PCA of every member given (each with enough snapshots), by member index (cached).</summary>
    private static Dictionary<int, TrajectoryShare> Shares(
        ClaimContext context, RunCheckpoints checkpoints, List<MemberSpec> members, Dictionary<int, IReadOnlyList<long>> stepsOf)
    {
        if (members.Count == 0)
        {
            return [];
        }

        var identity = new { name = "trajectory-pca", members = members.Select(m => new { m.Index, Steps = stepsOf[m.Index] }) };
        var shares = new LandscapeCache(context.RunDirectory).GetOrCompute("trajectory-pca", identity, () =>
        {
            context.Log?.Report($"landscape: trajectory PCA of {members.Count} member(s) over {checkpoints.Steps.Count} snapshots");
            // Members with the same snapshots (all but the diverged) share one pass over the files.
            return members.GroupBy(m => string.Join(",", stepsOf[m.Index])).SelectMany(g =>
            {
                var group = g.ToList();
                var pcas = RunTrajectories.Pca(checkpoints, stepsOf[group[0].Index], [.. group.Select(m => m.Index)]);
                return group.Select((m, i) => TrajectoryShare.Of(m.Index, pcas[i]));
            }).ToList();
        });
        return shares.ToDictionary(s => s.Member);
    }

    /// <summary>The lowest seed's trajectories on PC1 × PC2 for up to four fractions, and their explained-variance ratios.</summary>
    private static ClaimFigure Figure(ClaimContext context, IReadOnlyList<MemberSpec> members, Dictionary<int, TrajectoryShare> shares)
    {
        var candidates = members.Where(m => shares.ContainsKey(m.Index))
            .GroupBy(m => m.Seed).OrderBy(g => g.Key).First()
            .OrderBy(m => m.TrainFraction).ToList();
        var shown = candidates.Count <= FigureMembers
            ? candidates
            : Enumerable.Range(0, FigureMembers)
                .Select(i => candidates[(int)Math.Round(i * (candidates.Count - 1) / (double)(FigureMembers - 1))])
                .Distinct().ToList();
        // Each trajectory as a line, and a dot of the same colour at its first snapshot.
        var paths = shown.SelectMany(m => new[]
        {
            (FractionSweep.Subject(m), shares[m.Index].First.ToArray(), shares[m.Index].Second.ToArray()),
            (FractionSweep.Subject(m), new[] { shares[m.Index].First[0] }, new[] { shares[m.Index].Second[0] }),
        }).ToList();
        var ratios = shown.Select(m =>
        {
            var r = shares[m.Index].ExplainedVarianceRatio.Take(FigureComponents).ToArray();
            return (FractionSweep.Subject(m), Enumerable.Range(1, r.Length).Select(i => (double)i).ToArray(), r);
        }).ToList();
        string title = $"{context.Claim.Id}: weight trajectories on their first two principal components";
        ChartPanel[] panels =
        [
            new ChartPanel("trajectory (dot: first snapshot)", "PC1", "PC2", paths),
            new ChartPanel("explained variance ratio", "component", "ratio", ratios, LogY: true),
        ];
        return context.Plot("trajectories", title, (dir, file) => PanelChart.Write(dir, file, title, panels));
    }
}
