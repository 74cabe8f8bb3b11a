using Grokking.Runtime;
using System.Diagnostics;
using Grokking.Configuration;
using Grokking.Data;
using Grokking.Models;
using Grokking.Optim;
using TorchSharp;
using static TorchSharp.torch;

namespace Grokking.Training;

/// <summary>
/// Trains a population in lockstep. Each member has its own seed (initialization, split, minibatch order) and
/// hyperparameters; the step is one batched computation. The device is synchronised only at metric steps
/// (every Train:MetricsEvery steps; 8 = one MC epoch by default), where metrics, events, the per-step minibatch
/// losses accumulated on the device, and checkpoints are handled.
/// </summary>
public sealed class PopulationTrainer
{
    private readonly GrokkingOptions options;
    private readonly IReadOnlyList<MemberSpec> members;
    private readonly Device device;

    public PopulationTrainer(GrokkingOptions options, IReadOnlyList<MemberSpec> members, Device device)
    {
        PopulationSetup.Validate(options);
        this.options = options;
        this.members = members;
        this.device = device;
    }

    public TrainingResult Run(string? runDirectory = null, IProgress<TrainingProgress>? progress = null, CancellationToken cancel = default)
    {
        var run = runDirectory is null ? null : new RunDirectory(runDirectory);
        run?.WriteConfiguration(options);
        int k = members.Count;
        var seeds = members.Select(m => m.Seed).ToArray();
        using var data = PopulationDataFactory.Create(options.Data, seeds, device);
        using var model = PopulationModelFactory.Create(k, options.Model, options.Data, device);
        model.Initialize(seeds, members.Select(m => m.InitScale).ToArray());
        using var optimizer = new PopulationOptimizer(model, options.Optimizer, members.Select(m => m.LearningRate).ToArray(), members.Select(m => m.WeightDecay).ToArray());

        int n = data.TrainCount;
        int batch = options.Train.BatchSize == 0 ? n : Math.Min(options.Train.BatchSize, n);
        long stepsPerEpoch = (n + batch - 1) / batch;
        long totalSteps = options.Train.Steps > 0 ? options.Train.Steps : options.Train.Epochs * stepsPerEpoch;
        long metricsEvery = options.Train.MetricsEvery;

        var metrics = new List<MetricRow>();
        var stepLosses = Enumerable.Range(0, k).Select(_ => new List<float>()).ToList();
        long start = 0;
        if (run is not null && File.Exists(run.StateFile))
        {
            start = Resume(run, model, optimizer, metrics, stepLosses);
        }

        var events = EventsFrom(metrics, k);
        using var lossBuffer = zeros(k, metricsEvery, device: device);
        Tensor? order = null;
        long orderEpoch = -1;
        bool interrupted = false;
        long step = start;
        var clock = Stopwatch.StartNew();
        Func<PopulationParameter, bool> invariant = model.HasScaleInvariantParameters ? p => p.ScaleInvariant : _ => true;

        TrainingResult Snapshot(long completed) => new()
        {
            Members = members,
            Metrics = metrics,
            Events = events,
            StepLosses = stepLosses.Select(s => s.ToArray()).ToList(),
            StepsPerEpoch = stepsPerEpoch,
            StepsCompleted = completed,
            Interrupted = interrupted,
        };

        for (; step < totalSteps; step++)
        {
            long epoch = step / stepsPerEpoch;
            long position = step % stepsPerEpoch;
            if (epoch != orderEpoch)
            {
                order?.Dispose();
                order = MinibatchOrder(seeds, n, epoch);
                orderEpoch = epoch;
            }

            bool metricStep = (step + 1) % metricsEvery == 0 || step + 1 == totalSteps;
            Tensor? gradSquares = null;
            using (var scope = NewDisposeScope())
            {
                var idx = order!.narrow(1, position * batch, Math.Min(batch, n - (position * batch)));
                var output = model.forward(PopulationData.Gather(data.TrainX, idx));
                var loss = LossFunctions.PerExample(output, PopulationData.Gather(data.TrainY, idx), data.Task).mean([1]);
                optimizer.ZeroGrad();
                loss.sum().backward();
                var gradSquare = model.SquaredGradNorm();
                using (no_grad())
                {
                    lossBuffer.select(1, step % metricsEvery).copy_(loss.detach());
                }

                if (metricStep)
                {
                    gradSquares = stack([gradSquare, model.SquaredGradNorm(invariant)]).MoveToOuterDisposeScope();
                }

                // A member whose loss or gradient is not finite is frozen before this step touches it.
                optimizer.Step(step, loss.detach().isfinite().logical_and_(gradSquare.isfinite()));
            }

            if (!metricStep)
            {
                continue;
            }

            long done = step + 1;
            var newEvents = RecordMetrics(done, model, data, optimizer, gradSquares!, lossBuffer, (int)(((done - 1) % metricsEvery) + 1), invariant, stepsPerEpoch, metrics, stepLosses, events);
            gradSquares!.Dispose();
            if (run is not null && options.Train.CheckpointAtEvents && newEvents)
            {
                Weights(model).SaveTo(run.WeightsAt(done));
            }

            if (run is not null && options.Train.CheckpointEvery > 0 && done % options.Train.CheckpointEvery < metricsEvery && done >= options.Train.CheckpointEvery)
            {
                Weights(model).SaveTo(run.WeightsAt(done));
                SaveState(run, model, optimizer, Snapshot(done), done);
            }

            double rate = (done - start) / Math.Max(1e-9, clock.Elapsed.TotalSeconds);
            var last = metrics.Skip(metrics.Count - k).ToList();
            progress?.Report(new TrainingProgress(
                done,
                totalSteps,
                rate,
                TimeSpan.FromSeconds((totalSteps - done) / Math.Max(rate, 1e-9)),
                last.Average(m => m.TrainAccuracy),
                last.Average(m => m.ValAccuracy),
                events.Count(e => e.ReachedTrain && e.ReachedVal)));

            // Cancellation is honoured at metric steps only, so a checkpoint never splits the per-step loss buffer.
            interrupted = cancel.IsCancellationRequested;
            if (interrupted || ShouldStop(done, events))
            {
                step = done;
                break;
            }
        }

        order?.Dispose();
        var result = Snapshot(step);
        if (run is not null)
        {
            Weights(model).SaveTo(run.WeightsAt(result.StepsCompleted));
            SaveState(run, model, optimizer, result, result.StepsCompleted);
        }

        return result;
    }

    private bool ShouldStop(long done, IReadOnlyList<MemberEvents> events)
    {
        if (events.All(e => e.Diverged))
        {
            return true;
        }

        int margin = options.Train.StopMarginSteps;
        if (margin < 0)
        {
            return false;
        }

        var live = events.Where(e => !e.Diverged).ToList();
        return live.All(e => e.ReachedTrain && e.ReachedVal) && done >= live.Max(e => Math.Max(e.TrainThresholdStep, e.ValThresholdStep)) + margin;
    }

    /// <summary>Member k's order for epoch e depends only on (seed_k, e).</summary>
    private Tensor MinibatchOrder(long[] seeds, int n, long epoch)
    {
        var perms = seeds.Select(s => randperm(n, generator: SeedStreams.Generator(s, SeedStreams.Order, epoch))).ToArray();
        var stacked = stack(perms).to(device);
        foreach (var p in perms)
        {
            p.Dispose();
        }

        return stacked;
    }

    /// <returns>True when a member reached an event at this step.</returns>
    private bool RecordMetrics(
        long done,
        PopulationModel model,
        PopulationData data,
        PopulationOptimizer optimizer,
        Tensor gradSquares,
        Tensor lossBuffer,
        int buffered,
        Func<PopulationParameter, bool> invariant,
        long stepsPerEpoch,
        List<MetricRow> metrics,
        List<List<float>> stepLosses,
        MemberEvents[] events)
    {
        int k = model.Members;
        float[] values;
        float[]? stochastic = null;
        using (var scope = NewDisposeScope())
        {
            var train = PopulationEvaluator.Evaluate(model, data.TrainX, data.TrainY, data);
            var val = PopulationEvaluator.Evaluate(model, data.ValX, data.ValY, data);
            var normSq = model.SquaredNorm();
            var invariantSq = model.SquaredNorm(invariant);
            var l2 = optimizer.WeightDecays.mul(normSq).div_(2);
            var rows = stack([
                train.Loss, train.Loss.add(l2), train.Accuracy,
                val.Loss, val.Loss.add(l2), val.Accuracy,
                normSq.sqrt(), optimizer.LearningRates.div(invariantSq),
                gradSquares[1].sqrt().mul(invariantSq.sqrt()), gradSquares[0].sqrt(),
                optimizer.Active, optimizer.StepsTaken,
            ]);
            values = rows.cpu().data<float>().ToArray();
            var losses = lossBuffer.narrow(1, 0, buffered).cpu().data<float>().ToArray();
            for (int m = 0; m < k; m++)
            {
                stepLosses[m].AddRange(losses.AsSpan(m * buffered, buffered));
            }

            if (options.Train.StochasticGradientNorm)
            {
                stochastic = MeanStochasticGradNorm.Compute(model, data, options.Train.BatchSize).cpu().data<float>().ToArray();
            }
        }

        bool newEvent = false;
        for (int m = 0; m < k; m++)
        {
            double V(int row) => values[(row * k) + m];
            long divergedAt = V(10) > 0 ? MemberEvents.Never : (long)V(11) + 1;
            var row = new MetricRow(done, (double)done / stepsPerEpoch, m, V(0), V(1), V(2), V(3), V(4), V(5), V(6), V(7), V(8), V(9), stochastic?[m], divergedAt);
            metrics.Add(row);
            var before = events[m];
            events[m] = Advance(events[m], row, options.Train);
            newEvent |= events[m] != before && !events[m].Diverged;
        }

        return newEvent;
    }

    private static MemberEvents Advance(MemberEvents e, MetricRow row, TrainOptions train)
    {
        if (e.Diverged)
        {
            return e;
        }

        if (row.DivergedAtStep != MemberEvents.Never)
        {
            return e with { DivergedStep = row.DivergedAtStep };
        }

        // Not expected once bad steps freeze members (a finite step overflowing the weights would get here).
        if (!double.IsFinite(row.TrainLoss) || !double.IsFinite(row.WeightNorm))
        {
            return e with { DivergedStep = row.Step };
        }

        const double slack = 1e-9;
        if (!e.ReachedTrain && row.TrainAccuracy >= train.TrainAccuracyThreshold - slack)
        {
            e = e with { TrainThresholdStep = row.Step };
        }

        if (!e.ReachedVal && row.ValAccuracy >= train.ValAccuracyThreshold - slack)
        {
            e = e with { ValThresholdStep = row.Step };
        }

        return e;
    }

    private MemberEvents[] EventsFrom(IEnumerable<MetricRow> metrics, int k)
    {
        var events = Enumerable.Range(0, k).Select(MemberEvents.None).ToArray();
        foreach (var row in metrics.OrderBy(r => r.Step))
        {
            events[row.Member] = Advance(events[row.Member], row, options.Train);
        }

        return events;
    }

    private static TensorSet Weights(PopulationModel model) => new(model.Snapshot());

    private static void SaveState(RunDirectory run, PopulationModel model, PopulationOptimizer optimizer, TrainingResult result, long step)
    {
        run.WriteProgress(result);
        var state = new Dictionary<string, Tensor>();
        foreach (var (name, t) in model.Snapshot())
        {
            state["param." + name] = t;
        }

        foreach (var (name, t) in optimizer.State())
        {
            state["opt." + name] = t;
        }

        state["meta.step"] = tensor(new float[] { step });
        TensorFile.Save(run.StateFile, state);
        foreach (var t in state.Values)
        {
            t.Dispose();
        }
    }

    private long Resume(RunDirectory run, PopulationModel model, PopulationOptimizer optimizer, List<MetricRow> metrics, List<List<float>> stepLosses)
    {
        var state = TensorFile.Load(run.StateFile, device);
        long step = (long)state["meta.step"].item<float>();
        model.Load(state.Where(s => s.Key.StartsWith("param.", StringComparison.Ordinal)).ToDictionary(s => s.Key["param.".Length..], s => s.Value));
        optimizer.LoadState(state.Where(s => s.Key.StartsWith("opt.", StringComparison.Ordinal)).ToDictionary(s => s.Key["opt.".Length..], s => s.Value));
        foreach (var t in state.Values)
        {
            t.Dispose();
        }

        metrics.AddRange(run.ReadMetrics(step));
        var losses = run.ReadStepLosses(model.Members, step);
        for (int m = 0; m < losses.Count; m++)
        {
            stepLosses[m].AddRange(losses[m]);
        }

        return step;
    }
}
