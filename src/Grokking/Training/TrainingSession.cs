using System.Diagnostics;
using Grokking.Configuration;
using Grokking.Data;
using Grokking.Models;
using Grokking.Optim;
using static TorchSharp.torch;

namespace Grokking.Training;

/// <summary>
/// One call of <see cref="PopulationTrainer.Run"/>, in its phases: setup (model, data, optimizer and the state of a
/// resumed run), the step loop, the metric steps (metrics, events, checkpoints, progress) and the finish. Steps run
/// in chunks of members (<see cref="MemberChunks"/>, sized by <see cref="MemberChunkLayout"/>); everything else reads
/// the whole population, whose tensors the chunks update in place.
/// </summary>
internal sealed class TrainingSession : IDisposable
{
    private readonly GrokkingOptions options;
    private readonly IReadOnlyList<MemberSpec> members;
    private readonly PopulationModel model;
    private readonly PopulationData data;
    private readonly PopulationOptimizer optimizer;
    private readonly MetricRecorder recorder;
    private readonly Checkpointer? checkpointer;
    private readonly MinibatchLoop loop;
    private readonly long totalSteps;
    private readonly long metricsEvery;

    // What the run has produced so far: a resumed run starts with what its checkpoint holds.
    private readonly List<MetricRow> metrics = [];
    private readonly List<List<float>> stepLosses;
    private readonly List<List<float>> outputNorms;
    private readonly List<List<float>> cosines;
    private readonly EventTracker events;
    private readonly long start;

    // Per-step values stay on the device between metric steps: the step losses here, the traces in the tracer.
    private readonly Tensor lossBuffer;
    private readonly StepTracer? tracer;
    private readonly MemberChunks chunks;
    private readonly Stopwatch clock;
    private bool interrupted;
    private bool eventsAtPreviousMetricStep;

    public TrainingSession(GrokkingOptions options, IReadOnlyList<MemberSpec> members, Device device, RunDirectory? run)
    {
        this.options = options;
        this.members = members;
        int k = members.Count;
        var seeds = members.Select(m => m.Seed).ToArray();
        model = PopulationModelFactory.Create(k, options.Model, options.Data, device);
        try
        {
            data = PopulationDataFactory.Create(options.Data, seeds, device, model.DType, [.. members.Select(m => m.TrainFraction)],
            MemberSpec.SweptSamples(members), MemberSpec.SweptMessiness(members));
            model.Initialize(seeds, members.Select(m => m.InitScale).ToArray(), MemberSpec.SweptMessiness(members));
            optimizer = new PopulationOptimizer(
                model, options.Optimizer, members.Select(m => m.LearningRate).ToArray(), members.Select(m => m.WeightDecay).ToArray());
            recorder = new MetricRecorder(
                model, data, optimizer, options.Train.BatchSize, options.Train.StochasticGradientNorm, options.Train.RecordRepresentation);
            checkpointer = run is null ? null : new Checkpointer(run, model, optimizer, device);

            loop = new MinibatchLoop(
            data.TrainCount, options.Train.BatchSize, seeds, device, shuffleFullBatch: false, data.MemberTrainCounts());
            totalSteps = options.Train.Steps > 0 ? options.Train.Steps : options.Train.Epochs * loop.StepsPerEpoch;
            metricsEvery = options.Train.MetricsEvery;

            stepLosses = PerMember(k);
            outputNorms = PerMember(k);
            cosines = PerMember(k);
            start = checkpointer is { HasState: true } ? checkpointer.Resume(metrics, stepLosses, outputNorms, cosines) : 0;
            events = new EventTracker(options.Train, k);
            events.Observe(metrics);

            lossBuffer = zeros(k, metricsEvery, device: device);
            tracer = options.Train.StepTraces ? new StepTracer(model, metricsEvery) : null;
            int membersPerChunk = MemberChunkLayout.Choose(options, data, device, totalSteps - start);
            chunks = new MemberChunks(membersPerChunk, options, model, optimizer, data, tracer, lossBuffer);
            clock = Stopwatch.StartNew();
        }
        catch
        {
            Dispose(); // what was made before the failure
            throw;
        }
    }

    /// <summary>Steps from the start (0, or a resumed run's step) to the budget, a stop rule or a cancellation.</summary>
    /// <returns>The steps completed.</returns>
    public long StepLoop(IProgress<TrainingProgress>? progress, CancellationToken cancel)
    {
        foreach (var batch in loop.Steps(start, totalSteps))
        {
            long done = batch.Step + 1;
            bool metricStep = done % metricsEvery == 0 || done == totalSteps;
            var gradSquares = chunks.Step(batch, metricStep, recorder.Invariant);
            if (metricStep && AtMetricStep(done, gradSquares!, progress, cancel))
            {
                return done;
            }
        }

        return Math.Max(start, totalSteps);
    }

    /// <summary>The result after <paramref name="completed"/> steps, with its final weights and state saved.</summary>
    public TrainingResult Finish(long completed)
    {
        var result = Snapshot(completed);
        if (checkpointer is not null)
        {
            checkpointer.SaveWeights(result.StepsCompleted);
            checkpointer.SaveState(result, result.StepsCompleted);
        }

        return result;
    }

    /// <summary>
    /// The device is read only here: the buffered step values, the metrics and events, then checkpoints and progress.
    /// </summary>
    /// <returns>Whether the run stops here (cancelled, or the stop rule met).</returns>
    private bool AtMetricStep(long done, Tensor gradSquares, IProgress<TrainingProgress>? progress, CancellationToken cancel)
    {
        int buffered = (int)(((done - 1) % metricsEvery) + 1);
        StepTracer.AppendColumns(lossBuffer, buffered, stepLosses);
        tracer?.Append(buffered, outputNorms, cosines);
        List<MetricRow> rows;
        using (gradSquares)
        {
            rows = recorder.Record(done, loop.StepsPerEpoch, gradSquares).ToList();
        }

        metrics.AddRange(rows);
        bool newEvents = events.Observe(rows);
        SaveCheckpoints(done, newEvents);
        ReportProgress(progress, done, rows);

        // Cancellation is honoured at metric steps only, so a checkpoint never splits the per-step loss buffer.
        interrupted = cancel.IsCancellationRequested;
        return interrupted || events.ShouldStop(done);
    }

    /// <summary>
    /// Weights at events (and one metric interval after them), every Train:WeightsEvery steps, and with the
    /// resumable state every Train:CheckpointEvery steps.
    /// </summary>
    private void SaveCheckpoints(long done, bool newEvents)
    {
        var train = options.Train;
        bool eventWeights = train.CheckpointAtEvents && (newEvents || eventsAtPreviousMetricStep);
        bool periodicWeights = train.WeightsEvery > 0 && done % train.WeightsEvery < metricsEvery;
        eventsAtPreviousMetricStep = newEvents;
        if (checkpointer is null)
        {
            return;
        }

        if (eventWeights || periodicWeights)
        {
            checkpointer.SaveWeights(done);
        }

        if (train.CheckpointEvery > 0 && done % train.CheckpointEvery < metricsEvery && done >= train.CheckpointEvery)
        {
            checkpointer.SaveWeights(done);
            checkpointer.SaveState(Snapshot(done), done);
        }
    }

    private void ReportProgress(IProgress<TrainingProgress>? progress, long done, List<MetricRow> rows)
    {
        double rate = (done - start) / Math.Max(1e-9, clock.Elapsed.TotalSeconds);
        progress?.Report(new TrainingProgress(
            done,
            totalSteps,
            rate,
            TimeSpan.FromSeconds((totalSteps - done) / Math.Max(rate, 1e-9)),
            rows.Average(m => m.TrainAccuracy),
            rows.Select(m => m.ValAccuracy).Where(double.IsFinite).DefaultIfEmpty(double.NaN).Average(), // members without a test set: NaN
            events.MembersDone));
    }

    private TrainingResult Snapshot(long completed) => new()
    {
        Members = members,
        Metrics = metrics,
        Events = events.Events.ToList(),
        StepLosses = stepLosses.Select(s => s.ToArray()).ToList(),
        StepOutputNorms = tracer is null ? [] : outputNorms.Select(s => s.ToArray()).ToList(),
        StepCosineDistances = tracer is null ? [] : cosines.Select(s => s.ToArray()).ToList(),
        StepsPerEpoch = loop.StepsPerEpoch,
        StepsCompleted = completed,
        ResumedFrom = start,
        Interrupted = interrupted,
        MembersPerChunk = chunks.MembersPerChunk,
    };

    private static List<List<float>> PerMember(int k) => Enumerable.Range(0, k).Select(_ => new List<float>()).ToList();

    // Null-tolerant: the constructor calls it when setup fails half-way.
    public void Dispose()
    {
        chunks?.Dispose();
        tracer?.Dispose();
        lossBuffer?.Dispose();
        optimizer?.Dispose();
        data?.Dispose();
        model.Dispose();
    }
}
