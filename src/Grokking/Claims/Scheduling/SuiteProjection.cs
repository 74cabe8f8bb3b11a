using System.Globalization;
using Grokking.Claims.Contracts;
using Grokking.Configuration;
using TorchSharp;

namespace Grokking.Claims.Scheduling;

/// <summary>
/// The suite's minutes projected from recorded costs: the lanes take the runs longest first (<see cref="LanePlan"/>), the
/// foreground verifies the claims in order of predicted readiness, and every worker computes only while it holds a core
/// (<see cref="Runtime.CoreBudget"/>) — simulated (<see cref="PlanSimulation"/>), so it counts the analyses that take a
/// core from a lane as well as the foreground's waits. Build and unit tests are not in it.
/// </summary>
public sealed record SuiteProjection(double Seconds, IReadOnlyList<TimelineSpan> Timeline, int Lanes, int Workers)
{
    public double Minutes => Seconds / 60;

    /// <summary>Experiments or claims of the plan without a recorded cost (projected as taking no time).</summary>
    public IReadOnlyList<string> Unknown { get; init; } = [];

    /// <summary>
    /// Projects <paramref name="claims"/> (catalog order; each with the runs it trains) on <paramref name="lanes"/> lanes
    /// (fewer than two: the foreground trains every run itself) and <paramref name="workers"/> cores' worth of workers.
    /// </summary>
    public static SuiteProjection Project(IReadOnlyList<(string Id, IReadOnlyList<string> Runs)> claims, RunCosts costs, int lanes, int workers)
    {
        var runs = claims.SelectMany(c => c.Runs).Distinct(StringComparer.Ordinal).ToList();
        int parallel = lanes < 2 ? 0 : lanes;
        var plan = LanePlan.Of(runs, costs, Math.Max(1, parallel));
        var ordered = plan.ByReadiness(claims, c => c.Runs)
            .Select(c => new ScheduledClaim(c.Id, c.Runs, costs.AnalysisSeconds(c.Id) ?? 0))
            .ToList();
        var simulation = new PlanSimulation(plan, ordered, parallel, Math.Max(1, workers));
        double seconds = simulation.Run();
        return new SuiteProjection(seconds, simulation.Timeline, parallel, Math.Max(1, workers))
        {
            Unknown =
            [
                .. runs.Where(r => costs.TrainingSeconds(r) is null),
                .. claims.Where(c => costs.AnalysisSeconds(c.Id) is null).Select(c => c.Id),
            ],
        };
    }

    /// <summary>
    /// The projection of every claim of the repository at <paramref name="profile"/>, from baselines/&lt;profile&gt;/costs.json,
    /// with the lanes and threads <paramref name="runtime"/> gives on <paramref name="cores"/> cores; the warning says why no
    /// recorded cost was used (null when they were).
    /// </summary>
    public static (SuiteProjection Projection, string? Warning) ForRepository(
        string repositoryRoot, Profile profile, RuntimeOptions runtime, torch.Device device, int cores)
    {
        var catalog = ClaimCatalog.Load(Path.Combine(repositoryRoot, "claims"));
        var (costs, warning) = RunCosts.Load(RunCosts.PathIn(Path.Combine(repositoryRoot, "baselines"), profile), profile);
        var runner = new ClaimRunner(catalog, new RunCache(Path.GetTempPath()), profile, device, Path.GetTempPath(), runtime);
        bool cuda = device.type == DeviceType.CUDA;
        int lanes = Runtime.TorchRuntime.ParallelRunsFor(runtime.ParallelRuns, cuda, cores);
        int threads = runtime.Threads > 0 ? runtime.Threads : Math.Max(1, cores / lanes);
        var budget = Runtime.CoreBudget.For(runtime.Threads, threads, lanes, cores);
        // Claims on data the user brings (no package installs them) run nothing until a location is set, which a
        // repository's projection has not: they are DATA MISSING, costing nothing.
        var runnable = catalog.Claims.Where(c => !c.AllExperiments.Any(e => catalog.Experiments[e].DataOrBase is { UserSupplied: true }));
        return (Project(ClaimsWithRuns(runnable, runner), costs, lanes, budget.Workers), warning);
    }

    /// <summary>The claims with the experiments each trains (none when its analysis builds its own models), in the given order.</summary>
    public static IReadOnlyList<(string Id, IReadOnlyList<string> Runs)> ClaimsWithRuns(IEnumerable<ClaimDefinition> claims, ClaimRunner runner) =>
        [.. claims.Select(c => (c.Id, (IReadOnlyList<string>)[.. runner.TrainedRuns(c).Select(r => r.Experiment)]))];

    /// <summary>
    /// The timeline in one line per worker ("lane 1: train mc-two-inits 0.0-15.0, ..."), minutes; work under half a minute
    /// is left out (the foreground's many short analyses).
    /// </summary>
    public IEnumerable<string> TimelineLines() =>
        Timeline.Where(s => s.Finish - s.Start >= 30).OrderBy(s => s.Worker, StringComparer.Ordinal).ThenBy(s => s.Start)
            .GroupBy(s => s.Worker).Select(g => $"{g.Key}: " + string.Join(", ", g.Select(s =>
            string.Create(CultureInfo.InvariantCulture, $"{s.Work} {s.Start / 60:0.0}-{s.Finish / 60:0.0}"))));
}
