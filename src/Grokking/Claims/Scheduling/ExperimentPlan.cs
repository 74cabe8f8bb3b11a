using System.Globalization;

namespace Grokking.Claims.Scheduling;

/// <summary>
/// What a suite's training would cost on this device, before any of it runs: one <see cref="ExperimentEstimate"/> per run
/// the selection trains, with the recorded seconds beside it where a finished run left some, and the floor the matmul
/// roofline puts under it. 'grokking verify --plan' prints it (issue 28's cost table; issue 27's floor under the suite).
/// </summary>
public sealed record ExperimentPlan(IReadOnlyList<ExperimentEstimate> Estimates, IReadOnlyList<string> NotEstimated, double RecordedAnalysisSeconds)
{
    /// <summary>Estimates every run <paramref name="suite"/>'s selection trains; <paramref name="log"/> hears each as it starts.</summary>
    public static ExperimentPlan For(ClaimSuite suite, Action<string>? log = null)
    {
        var runs = suite.TrainedRuns();
        var estimates = new List<ExperimentEstimate>();
        foreach (var (experiment, options) in runs)
        {
            log?.Invoke($"measuring {experiment} ...");
            var device = suite.RuntimeInfo.Device;
            long? finished = suite.Runs.Finished(experiment, options, device)?.Result.StepsCompleted;
            estimates.Add(ExperimentEstimator.Estimate(experiment, options, device, suite.Costs.TrainingSeconds(experiment), finished));
        }

        var trained = runs.Select(r => r.Experiment).ToHashSet(StringComparer.Ordinal);
        var untrained = suite.Selection.SelectMany(c => c.AllExperiments).Distinct(StringComparer.Ordinal).Where(e => !trained.Contains(e));
        double analyses = suite.Selection.Sum(c => suite.Costs.AnalysisSeconds(c.Id) ?? 0);
        return new ExperimentPlan(estimates, [.. untrained], analyses);
    }

    public double ProjectedSeconds => Estimates.Sum(e => e.ProjectedSeconds);

    public double RooflineSeconds => Estimates.Sum(e => e.RooflineSeconds);

    /// <summary>The table, one row per run, then the totals and what they leave out.</summary>
    public IEnumerable<string> Lines(string profile, int lanes)
    {
        yield return $"{"experiment",-22} {"members",9} {"steps",9} {"metrics",7} {"ms/step",9} {"projected",10} {"recorded",9} {"GFLOP",10} "
            + $"{"roofline",9} {"at roofline",11} {"of roofline",11}";
        foreach (var e in Estimates)
        {
            yield return Row(e);
        }

        double floor = RooflineSeconds / 60;
        yield return Inv($"total: projected {ProjectedSeconds / 60:0.0} CPU min (recorded {Recorded()}); ")
            + Inv($"at the roofline {floor:0.0} CPU min = {floor / Math.Max(1, lanes):0.0} min on {Math.Max(1, lanes)} lane(s) at least");
        yield return "columns: minutes on one lane of this device; 'members' sampled/all, the sample's step scaled by members; steps a "
            + "finished run's in the cache, else the budget ('≤': the run stops once its members have grokked); "
            + "roofline GFLOP/s of the step's own matmul shapes alone";
        string untrained = NotEstimated.Count > 0
            ? $"; experiments trained inside analyses or without their data: {string.Join(", ", NotEstimated)}"
            : "";
        yield return Inv($"not in the table: the claims' analyses ({RecordedAnalysisSeconds / 60:0.0} min recorded in ")
            + $"baselines/{profile}/costs.json){untrained}";
    }

    private string Recorded()
    {
        var recorded = Estimates.Where(e => e.RecordedSeconds is not null).ToList();
        double minutes = recorded.Sum(e => e.RecordedSeconds!.Value) / 60;
        return recorded.Count == 0 ? "none" : Inv($"{minutes:0.0} min for {recorded.Count} of {Estimates.Count}");
    }

    private static string Row(ExperimentEstimate e)
    {
        string recorded = e.RecordedSeconds is { } s ? Inv($"{s / 60:0.0}") : "-";
        string steps = (e.EarlyStop ? "≤" : "") + e.Steps.ToString(CultureInfo.InvariantCulture);
        return Inv($"{e.Experiment,-22} {e.SampledMembers + "/" + e.Members,9} {steps,9} {e.MetricsEvery,7} {e.MsPerStep,9:0.0} ")
            + Inv($"{e.ProjectedSeconds / 60,10:0.0} {recorded,9} {e.Gflop,10:0} {e.RooflineGflops,9:0.0} {e.RooflineSeconds / 60,11:0.0} ")
            + Inv($"{e.RooflinePercent,10:0}%");
    }

    private static string Inv(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
