using System.Collections.Concurrent;
using System.Diagnostics;
using Grokking.Claims.Contracts;
using Grokking.Claims.Scheduling;
using Grokking.Configuration;

namespace Grokking.Claims;

/// <summary>
/// Trains the runs of a claim selection on side-by-side lanes while the claims are verified one at a time. A claim
/// that needs a run a lane is training waits for it through the run cache; a lane skips a run already asked for.
/// A failed run is left to the claim that needs it, which retries it and reports the error. The lanes take the runs
/// longest recorded cost first (<see cref="LanePlan"/>; catalog order without costs), and train each holding the cores
/// of the run cache's budget (<see cref="RunCache.Budget"/>).
/// </summary>
public static class BackgroundRuns
{
    public static void Start(
        ClaimRunner runner,
        IReadOnlyList<ClaimDefinition> claims,
        int lanes,
        IProgress<ClaimProgress>? progress,
        CancellationToken cancel,
        RunCosts? costs = null)
    {
        if (lanes < 2)
        {
            return;
        }

        var distinct = claims
            .SelectMany(runner.TrainedRuns)
            .DistinctBy(r => (r.Experiment, RunCache.KeyOf(r.Options)))
            .ToList();
        var order = LanePlan.Order([.. distinct.Select(r => r.Experiment)], costs ?? RunCosts.None(Profile.Ci));
        var runs = distinct.OrderBy(r => IndexIn(order, r.Experiment)).ToList();
        var queue = new ConcurrentQueue<(string Experiment, GrokkingOptions Options)>(runs);
        for (int lane = 0; lane < lanes; lane++)
        {
            string name = $"lane {lane + 1}";
            var thread = new Thread(() => Drain(runner, queue, name, runs.Count, progress, cancel))
            {
                IsBackground = true,
                Name = $"grokking {name}",
            };
            thread.Start();
        }
    }

    private static int IndexIn(IReadOnlyList<string> order, string experiment)
    {
        for (int i = 0; i < order.Count; i++)
        {
            if (order[i] == experiment)
            {
                return i;
            }
        }

        return order.Count;
    }

    private static void Drain(
        ClaimRunner runner,
        ConcurrentQueue<(string Experiment, GrokkingOptions Options)> queue,
        string lane,
        int count,
        IProgress<ClaimProgress>? progress,
        CancellationToken cancel)
    {
        while (!cancel.IsCancellationRequested && queue.TryDequeue(out var run))
        {
            int index = count - queue.Count - 1;
            var clock = Stopwatch.StartNew();
            try
            {
                if (runner.TrainInBackground(run.Experiment, run.Options, cancel))
                {
                    string phase = $"{run.Experiment} ready after {clock.Elapsed.TotalMinutes:0.0} min";
                    progress?.Report(new ClaimProgress(lane, index, count, phase, null));
                }
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (Exception)
            {
                // The claim that needs this run trains it again and reports the error there.
            }
        }
    }
}
