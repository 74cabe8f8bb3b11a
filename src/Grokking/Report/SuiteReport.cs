using Grokking.Claims;
using Grokking.Claims.Scheduling;

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
            $"{Environment.MachineName}, {Environment.ProcessorCount} cores, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}",
            runtime.Compatibility.Decision.Describe(),
            suite.Started,
            suite.Elapsed.TotalSeconds)
        {
            ParallelRuns = runtime.ParallelRuns,
            Precision = runtime.PrecisionText,
            ReducedPrecision = runtime.MathPrecision.Reduced,
            ProjectedSeconds = suite.CostsWarning is null ? suite.Projection.Seconds : null,
        };
        var files = ClaimReport.Write(
            suite.Settings.ReportDirectory, environment, suite.OutcomesWithErrors(), suite.Agreement(), suite.CommittedVariants());

        // What this suite measured, beside the report: 'grokking baselines accept' records it in baselines/<profile>/costs.json.
        string costs = Path.Combine(suite.Settings.ReportDirectory, RunCosts.FileName);
        suite.MeasuredCosts().Save(costs);
        return [.. files, costs];
    }
}
