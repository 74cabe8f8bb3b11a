using System.Globalization;
using Grokking.Claims;
using Grokking.Claims.Scheduling;
using Grokking.Configuration;

namespace Grokking.Report;

/// <summary>Writes a claim suite's report (Markdown, HTML, JSON) with the environment it ran in.</summary>
public static class SuiteReport
{
    public static IReadOnlyList<string> Write(ClaimSuite suite)
    {
        var runtime = suite.RuntimeInfo;
        var environment = new ReportEnvironment(
            GitInfo.Commit(suite.Settings.RepositoryRoot),
            runtime.TorchSharpVersion,
            runtime.LibTorchVersion,
            runtime.DeviceName,
            runtime.Threads,
            suite.Settings.Profile,
            ReportEnvironment.ThisMachine(),
            runtime.Compatibility.Decision.Describe(),
            suite.Started,
            suite.Elapsed.TotalSeconds)
        {
            ParallelRuns = runtime.ParallelRuns,
            Precision = runtime.PrecisionText,
            ReducedPrecision = runtime.MathPrecision.Reduced,
            ProjectedSeconds = suite.CostsWarning is null ? suite.Projection.Seconds : null,
        }.WithProvenance(suite);
        var files = ClaimReport.Write(
            suite.Settings.ReportDirectory, environment, suite.OutcomesWithErrors(), suite.Agreement(), suite.CommittedVariants());

        // What this suite measured, beside the report: 'grokking baselines accept' records it in baselines/<profile>/costs.json.
        string costs = Path.Combine(suite.Settings.ReportDirectory, RunCosts.FileName);
        suite.MeasuredCosts().Save(costs);
        return [.. files, costs];
    }

    /// <summary>
    /// What else a run's record needs to be told apart from another (issue 30): the engine, the working tree's state against
    /// the commit, the precisions the runs computed in and the settings the command took (the data
    /// locations among the Data keys: the rest of an experiment's settings is committed with it).
    /// </summary>
    private static ReportEnvironment WithProvenance(this ReportEnvironment environment, ClaimSuite suite)
    {
        var tree = GitWorkingTree.Read(suite.Settings.RepositoryRoot);
        var precisions = suite.TrainedRuns().Select(r => r.Options.Model.Precision.ToString().ToLowerInvariant()).Distinct().Order().ToList();
        var runtime = suite.Settings.Runtime;
        string Text(object value) => System.Convert.ToString(value, CultureInfo.InvariantCulture)!.ToLowerInvariant();
        List<KeyValuePair<string, string>> configuration =
        [
            new("Profile", suite.Settings.Profile.Name),
            new("Runtime:Device", Text(runtime.Device)),
            new("Runtime:Threads", Text(runtime.Threads)),
            new("Runtime:ParallelRuns", Text(runtime.ParallelRuns)),
            new("Runtime:MembersPerChunk", Text(runtime.MembersPerChunk)),
            .. suite.Settings.DataLocations
                .Where(d => d.Value is not null && d.Key.EndsWith("Directory", StringComparison.Ordinal))
                .OrderBy(d => d.Key, StringComparer.Ordinal)
                .Select(d => new KeyValuePair<string, string>(d.Key, d.Value!)),
        ];
        return environment with
        {
            Engine = Training.EngineVersion.Value,
            GitDirty = tree.Dirty,
            GitDiffHash = tree.DiffHash,
            Dtype = precisions.Count == 0 ? "none" : string.Join('+', precisions),
            Configuration = configuration,
        };
    }
}
