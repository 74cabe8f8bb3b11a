namespace Grokking.Claims.Scheduling;

/// <summary>
/// The order in which the lanes take the runs, longest recorded cost first (LPT: the lanes draw from one queue, so each
/// free lane takes the longest run left), runs without a recorded cost after them in catalog order; and when each run is
/// predicted to finish if the lanes had their cores to themselves — what the foreground orders its claims by.
/// </summary>
public sealed class LanePlan
{
    private readonly Dictionary<string, PlannedRun> byExperiment;

    private LanePlan(IReadOnlyList<PlannedRun> runs)
    {
        Runs = runs;
        byExperiment = runs.ToDictionary(r => r.Experiment, StringComparer.Ordinal);
    }

    /// <summary>The runs in the order the lanes take them.</summary>
    public IReadOnlyList<PlannedRun> Runs { get; }

    /// <summary>The predicted finish of every run; the last of them is the lanes' makespan.</summary>
    public double Makespan => Runs.Count == 0 ? 0 : Runs.Max(r => r.Finish);

    /// <summary>The queue order: known costs longest first (ties by catalog order), then unknown ones in catalog order.</summary>
    /// <param name="experiments">The runs in catalog order (each once).</param>
    public static IReadOnlyList<string> Order(IReadOnlyList<string> experiments, RunCosts costs) =>
    [
        .. experiments
            .Select((name, index) => (Name: name, Index: index, Seconds: costs.TrainingSeconds(name)))
            .OrderBy(r => r.Seconds is null ? 1 : 0)
            .ThenByDescending(r => r.Seconds ?? 0)
            .ThenBy(r => r.Index)
            .Select(r => r.Name),
    ];

    /// <summary>The plan of <paramref name="experiments"/> (catalog order) on <paramref name="lanes"/> lanes (at least one).</summary>
    public static LanePlan Of(IReadOnlyList<string> experiments, RunCosts costs, int lanes)
    {
        var free = new double[Math.Max(1, lanes)];
        var runs = new List<PlannedRun>();
        foreach (string name in Order(experiments, costs))
        {
            int lane = Array.IndexOf(free, free.Min());
            double? seconds = costs.TrainingSeconds(name);
            runs.Add(new PlannedRun(name, seconds, lane, free[lane], free[lane] + (seconds ?? 0)));
            free[lane] += seconds ?? 0;
        }

        return new LanePlan(runs);
    }

    /// <summary>When the last of <paramref name="experiments"/> is predicted to be ready; 0 for none (or runs not in the plan).</summary>
    public double ReadyAt(IEnumerable<string> experiments) =>
        experiments.Select(e => byExperiment.TryGetValue(e, out var run) ? run.Finish : 0).DefaultIfEmpty(0).Max();

    /// <summary>
    /// Claims in order of predicted readiness: the predicted finish of the last run each reads (0 when it trains none), ties
    /// in the given (catalog) order.
    /// </summary>
    public IReadOnlyList<T> ByReadiness<T>(IReadOnlyList<T> claims, Func<T, IEnumerable<string>> runsOf) =>
    [
        .. claims.Select((claim, index) => (Claim: claim, Index: index, Ready: ReadyAt(runsOf(claim))))
            .OrderBy(c => c.Ready)
            .ThenBy(c => c.Index)
            .Select(c => c.Claim),
    ];
}
