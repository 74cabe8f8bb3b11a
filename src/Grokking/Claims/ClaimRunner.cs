using System.Diagnostics;
using Grokking.Claims.Analyses;
using Grokking.Configuration;
using Grokking.Training;
using TorchSharp;
using Grokking.Claims.Contracts;

namespace Grokking.Claims;

/// <summary>
/// Verifies claims: resolves each claim's experiment for the profile, gets its run from the shared cache (training
/// it at most once for all claims that share it), and applies the claim's analysis. A claim whose run or analysis
/// fails gets an error outcome rather than stopping the suite.
/// </summary>
public sealed class ClaimRunner(ClaimCatalog catalog, RunCache cache, Profile profile, torch.Device device, string reportDirectory, RuntimeOptions? runtime = null)
{
    public ClaimOutcome Verify(ClaimDefinition claim, IProgress<ClaimProgress>? progress = null, int index = 0, int count = 1, CancellationToken cancel = default)
    {
        var clock = Stopwatch.StartNew();
        var experiment = catalog.Experiments[claim.Experiment];
        var options = ExperimentResolver.Resolve(experiment, profile, runtime);
        progress?.Report(new ClaimProgress(claim.Id, index, count, "run", null));
        var trainingProgress = progress is null ? null : new Relay<TrainingProgress>(p => progress.Report(new ClaimProgress(claim.Id, index, count, "training", p)));
        var run = cache.GetOrTrain(experiment.Name, options, device, trainingProgress, cancel);
        progress?.Report(new ClaimProgress(claim.Id, index, count, "analysis", null));
        var log = progress is null ? null : new Relay<string>(phase => progress.Report(new ClaimProgress(claim.Id, index, count, phase, null)));
        var context = new ClaimContext(claim, run.Result, run.Directory, profile.ToString().ToLowerInvariant(), Path.GetFullPath(reportDirectory), run.Options, device, log);
        var analysis = AnalysisRegistry.Get(claim.Analysis).Analyze(context);
        return new ClaimOutcome(
            claim.Id,
            claim.Title,
            claim.Statement,
            claim.Source,
            analysis.Verdict,
            analysis.Reason,
            analysis.Measured,
            context.Members.Select(m => m.Seed).Distinct().Order().ToList(),
            claim.SeedCombination,
            context.Profile,
            $"{experiment.Name} ({run.Key}{(run.FromCache ? ", cached" : "")}; trained in {run.TrainSeconds:0} s)",
            [.. claim.Choices, .. experiment.Choices],
            analysis.Figures,
            clock.Elapsed.TotalSeconds)
        {
            Divergences = context.Members
                .Select(m => (Member: m, Events: run.Result.Events[m.Index]))
                .Where(x => x.Events.Diverged)
                .Select(x => new SeedDivergence(x.Member.Seed, x.Member.Label, x.Events.DivergedStep, run.Result.EpochOf(x.Events.DivergedStep)))
                .ToList(),
            ProfileChanges = ExperimentResolver.ChangesFromPaper(experiment, profile),
            TrainMinutes = run.TrainSeconds / 60,
        };
    }

    private sealed class Relay<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
