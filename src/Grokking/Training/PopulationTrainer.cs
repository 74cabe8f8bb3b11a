using System.Diagnostics;
using Grokking.Configuration;
using Grokking.Data;
using Grokking.Models;
using Grokking.Optim;
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
        using var model = PopulationModelFactory.Create(k, options.Model, options.Data, device);
        using var data = PopulationDataFactory.Create(options.Data, seeds, device, model.DType, [.. members.Select(m => m.TrainFraction)]);
        model.Initialize(seeds, members.Select(m => m.InitScale).ToArray());
        using var optimizer = new PopulationOptimizer(model, options.Optimizer, members.Select(m => m.LearningRate).ToArray(), members.Select(m => m.WeightDecay).ToArray());
        var recorder = new MetricRecorder(model, data, optimizer, options.Train.BatchSize, options.Train.StochasticGradientNorm);
        var checkpointer = run is null ? null : new Checkpointer(run, model, optimizer, device);

        int n = data.TrainCount;
        int batch = options.Train.BatchSize == 0 ? n : Math.Min(options.Train.BatchSize, n);
        long stepsPerEpoch = (n + batch - 1) / batch;
        bool fullBatch = batch >= n;
        long totalSteps = options.Train.Steps > 0 ? options.Train.Steps : options.Train.Epochs * stepsPerEpoch;
        long metricsEvery = options.Train.MetricsEvery;

        var metrics = new List<MetricRow>();
        var stepLosses = Enumerable.Range(0, k).Select(_ => new List<float>()).ToList();
        var outputNorms = Enumerable.Range(0, k).Select(_ => new List<float>()).ToList();
        var cosines = Enumerable.Range(0, k).Select(_ => new List<float>()).ToList();
        long start = checkpointer is { HasState: true } ? checkpointer.Resume(metrics, stepLosses, outputNorms, cosines) : 0;
        var events = new EventTracker(options.Train, k);
        events.Observe(metrics);

        using var lossBuffer = zeros(k, metricsEvery, device: device);
        using var tracer = options.Train.StepTraces ? new StepTracer(model, metricsEvery) : null;
        Tensor? order = null;
        long orderEpoch = -1;
        bool interrupted = false;
        bool eventsAtPreviousMetricStep = false;
        long step = start;
        var clock = Stopwatch.StartNew();

        TrainingResult Snapshot(long completed) => new()
        {
            Members = members,
            Metrics = metrics,
            Events = events.Events.ToList(),
            StepLosses = stepLosses.Select(s => s.ToArray()).ToList(),
            StepOutputNorms = tracer is null ? [] : outputNorms.Select(s => s.ToArray()).ToList(),
            StepCosineDistances = tracer is null ? [] : cosines.Select(s => s.ToArray()).ToList(),
            StepsPerEpoch = stepsPerEpoch,
            StepsCompleted = completed,
            Interrupted = interrupted,
        };

        for (; step < totalSteps; step++)
        {
            long epoch = step / stepsPerEpoch;
            long position = step % stepsPerEpoch;
            // Full batch: every step sees the whole training set, so no order is drawn and no rows are gathered
            // (with 40 teacher-student members the per-member permutations cost more than the step).
            if (!fullBatch && epoch != orderEpoch)
            {
                order?.Dispose();
                order = MinibatchOrder.ForEpoch(seeds, n, epoch, device);
                orderEpoch = epoch;
            }

            bool metricStep = (step + 1) % metricsEvery == 0 || step + 1 == totalSteps;
            Tensor? gradSquares = null;
            using (var scope = NewDisposeScope())
            {
                var idx = fullBatch ? null : order!.narrow(1, position * batch, Math.Min(batch, n - (position * batch)));
                var output = model.forward(idx is null ? data.TrainX : PopulationData.Gather(data.TrainX, idx));
                var perExample = LossFunctions.PerExample(output, idx is null ? data.TrainY : PopulationData.Gather(data.TrainY, idx), data.Task);
                var loss = idx is null ? data.TrainMean(perExample) : perExample.mean([1]);
                optimizer.ZeroGrad();
                loss.sum().backward();
                var gradSquare = model.SquaredGradNorm();
                using (no_grad())
                {
                    lossBuffer.select(1, step % metricsEvery).copy_(loss.detach());
                }

                if (metricStep)
                {
                    // Norms at the weights the gradient was taken at (before the step), so the effective gradient norm pairs them.
                    gradSquares = stack([gradSquare, model.SquaredGradNorm(recorder.Invariant), model.SquaredNorm(recorder.Invariant)]).MoveToOuterDisposeScope();
                }

                // A member whose loss or gradient is not finite is frozen before this step touches it.
                tracer?.BeforeStep();
                optimizer.Step(step, loss.detach().isfinite().logical_and_(gradSquare.isfinite()));
                tracer?.AfterStep(step);
            }

            if (!metricStep)
            {
                continue;
            }

            long done = step + 1;
            int buffered = (int)(((done - 1) % metricsEvery) + 1);
            StepTracer.AppendColumns(lossBuffer, buffered, stepLosses);
            tracer?.Append(buffered, outputNorms, cosines);
            List<MetricRow> rows;
            using (gradSquares)
            {
                rows = recorder.Record(done, stepsPerEpoch, gradSquares!).ToList();
            }

            metrics.AddRange(rows);
            bool newEvents = events.Observe(rows);
            bool eventWeights = options.Train.CheckpointAtEvents && (newEvents || eventsAtPreviousMetricStep);
            bool periodicWeights = options.Train.WeightsEvery > 0 && done % options.Train.WeightsEvery < metricsEvery;
            eventsAtPreviousMetricStep = newEvents;
            if (checkpointer is not null && (eventWeights || periodicWeights))
            {
                checkpointer.SaveWeights(done);
            }

            if (checkpointer is not null && options.Train.CheckpointEvery > 0 && done % options.Train.CheckpointEvery < metricsEvery && done >= options.Train.CheckpointEvery)
            {
                checkpointer.SaveWeights(done);
                checkpointer.SaveState(Snapshot(done), done);
            }

            double rate = (done - start) / Math.Max(1e-9, clock.Elapsed.TotalSeconds);
            progress?.Report(new TrainingProgress(
                done,
                totalSteps,
                rate,
                TimeSpan.FromSeconds((totalSteps - done) / Math.Max(rate, 1e-9)),
                rows.Average(m => m.TrainAccuracy),
                rows.Average(m => m.ValAccuracy),
                events.MembersDone));

            // Cancellation is honoured at metric steps only, so a checkpoint never splits the per-step loss buffer.
            interrupted = cancel.IsCancellationRequested;
            if (interrupted || events.ShouldStop(done))
            {
                step = done;
                break;
            }
        }

        order?.Dispose();
        var result = Snapshot(step);
        if (checkpointer is not null)
        {
            checkpointer.SaveWeights(result.StepsCompleted);
            checkpointer.SaveState(result, result.StepsCompleted);
        }

        return result;
    }
}
