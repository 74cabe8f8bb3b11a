using System.Diagnostics;
using Grokking.Configuration;
using Grokking.Data;
using Grokking.Models;
using Grokking.Optim;
using static TorchSharp.torch;

namespace Grokking.Training;

/// <summary>
/// Where a training step's time goes: the trainer's step (TrainingSession.Step) and metric step (the recorder, the
/// stochastic gradient norm pass, the checkpoint) made of the same calls in the same order, each phase timed by a
/// stopwatch over many steps. The trainer carries no timer, so profiling costs it nothing; keep this copy of its step in
/// step with TrainingSession. On a CPU an op has finished when its call returns; on CUDA each phase ends with a
/// synchronisation the trainer does not make.
/// </summary>
internal sealed class StepProfiler : IDisposable
{
    private static readonly string[] StepPhases =
        ["minibatch order", "minibatch rows", "forward + loss", "backward", "grad norm + finite", "optimizer step", "step scope dispose"];

    private readonly GrokkingOptions options;
    private readonly IReadOnlyList<MemberSpec> members;
    private readonly PopulationModel model;
    private readonly PopulationData data;
    private readonly PopulationOptimizer optimizer;
    private readonly MetricRecorder recorder;
    private readonly MinibatchLoop loop;
    private readonly Tensor lossBuffer;
    private readonly double[] stepMs = new double[StepPhases.Length];

    private StepProfiler(GrokkingOptions options, IReadOnlyList<MemberSpec> members, Device device)
    {
        this.options = options;
        this.members = members;
        var seeds = members.Select(m => m.Seed).ToArray();
        model = PopulationModelFactory.Create(members.Count, options.Model, options.Data, device);
        data = PopulationDataFactory.Create(options.Data, seeds, device, model.DType, [.. members.Select(m => m.TrainFraction)],
            MemberSpec.SweptSamples(members), MemberSpec.SweptMessiness(members));
        model.Initialize(seeds, members.Select(m => m.InitScale).ToArray(), MemberSpec.SweptMessiness(members));
        optimizer = new PopulationOptimizer(
            model, options.Optimizer, members.Select(m => m.LearningRate).ToArray(), members.Select(m => m.WeightDecay).ToArray());
        recorder = new MetricRecorder(model, data, optimizer, options.Train.BatchSize, stochasticGradNorm: false);
        loop = new MinibatchLoop(
            data.TrainCount, options.Train.BatchSize, seeds, device, shuffleFullBatch: false, data.MemberTrainCounts());
        lossBuffer = zeros(members.Count, options.Train.MetricsEvery, device: device);
    }

    /// <summary>
    /// Profiles the first member seeds of <paramref name="options"/>' population as K = <paramref name="members"/>: a few
    /// untimed steps, <paramref name="steps"/> timed ones, then each metric-step phase <paramref name="repeats"/> times.
    /// </summary>
    public static StepProfile Measure(GrokkingOptions options, int members, int steps, int repeats, Device device) =>
        Measure(options, [.. Enumerable.Range(0, members)
            .Select(m => new MemberSpec(m, m, options.Optimizer.LearningRate, options.Optimizer.WeightDecay, options.Model.InitScale))],
            steps, repeats, device);

    /// <summary>The profile of exactly <paramref name="population"/> (a sample of a run's members: their fractions pad the data as there).</summary>
    public static StepProfile Measure(GrokkingOptions options, IReadOnlyList<MemberSpec> population, int steps, int repeats, Device device)
    {
        using var profiler = new StepProfiler(options, population, device);
        const int WarmUp = 2;
        profiler.Steps(0, WarmUp);
        Array.Clear(profiler.stepMs);
        profiler.Steps(WarmUp, WarmUp + steps);
        var phases = StepPhases.Select((name, i) => new ProfilePhase(name, profiler.stepMs[i] / steps, 1)).ToList();
        phases.AddRange(profiler.MetricStep(WarmUp + steps, repeats));
        return new StepProfile(population.Count, phases)
        {
            TrainRows = profiler.data.TrainCount,
            ValRows = profiler.data.ValCount,
            BatchRows = profiler.loop.BatchSize,
            StepsPerEpoch = profiler.loop.StepsPerEpoch,
        };
    }

    private void Steps(long from, long to)
    {
        using var batches = loop.Steps(from, to).GetEnumerator();
        while (Time(0, batches.MoveNext))
        {
            Step(batches.Current);
        }
    }

    /// <summary>TrainingSession.Step, phase by phase (the loss buffer and the finite check as there; no tracer).</summary>
    private void Step(Minibatch batch)
    {
        var scope = NewDisposeScope();
        var rows = Time(1, () => batch.Rows(data));
        var loss = Time(2, () => rows.Mean(data, LossFunctions.PerExample(model.forward(rows.X), rows.Y, data.Task)));
        Time(3, () =>
        {
            optimizer.ZeroGrad();
            loss.sum().backward();
            return true;
        });
        Tensor? gradSquare = null;
        var healthy = Time(4, () =>
        {
            gradSquare = model.SquaredGradNorm();
            using (no_grad())
            {
                lossBuffer.select(1, batch.Step % options.Train.MetricsEvery).copy_(loss.detach());
            }

            return loss.detach().isfinite().logical_and(gradSquare.isfinite()); // as MemberChunk.Step
        });
        Time(5, () =>
        {
            optimizer.Step(batch.Step, healthy, gradSquare);
            return true;
        });
        Time(6, () =>
        {
            scope.Dispose();
            return true;
        });
    }

    /// <summary>The metric step's parts, each run once untimed and then <paramref name="repeats"/> times, in ms per call.</summary>
    private IEnumerable<ProfilePhase> MetricStep(long done, int repeats)
    {
        var train = options.Train;
        int every = train.MetricsEvery;
        using var gradSquares = Mean(repeats, MetricNorms, out double normsMs);
        double recordMs = MeanMs(repeats, () => recorder.Record(done, loop.StepsPerEpoch, gradSquares).ToList());
        // The pass is defined full batch only for padded sets (a training-size sweep with minibatches never takes it).
        bool defined = !data.IsPadded || loop.InPlace || train.StochasticGradientNorm;
        double stochasticMs = defined ? MeanMs(repeats, StochasticGradNorm) : 0;
        double checkpointMs = CheckpointMs(done, repeats);
        return
        [
            new ProfilePhase("metric norms", normsMs, every),
            new ProfilePhase("train+val evaluation", recordMs, every),
            new ProfilePhase("stochastic grad norm", stochasticMs, train.StochasticGradientNorm ? every : 0),
            new ProfilePhase("checkpoint write", checkpointMs, train.CheckpointEvery),
        ];
    }

    /// <summary>The [3, K] norms the trainer takes at a metric step (TrainingSession.Step's metric branch).</summary>
    private Tensor MetricNorms()
    {
        using var scope = NewDisposeScope();
        Tensor[] norms = [model.SquaredGradNorm(), model.SquaredGradNorm(recorder.Invariant), model.SquaredNorm(recorder.Invariant)];
        return stack(norms).MoveToOuterDisposeScope();
    }

    /// <summary>MetricRecorder's pass when Train:StochasticGradientNorm is on, read to the host as there.</summary>
    private float[] StochasticGradNorm()
    {
        using var scope = NewDisposeScope();
        var norms = MeanStochasticGradNorm.Compute(model, data, options.Train.BatchSize, [_ => true, recorder.Invariant]);
        return norms.to_type(ScalarType.Float32).cpu().data<float>().ToArray();
    }

    /// <summary>
    /// Weights and resumable state saved into a scratch run directory, with the metrics and step losses a run has at its
    /// middle (the state rewrites the metrics files whole, so their size is the run's average).
    /// </summary>
    private double CheckpointMs(long done, int repeats)
    {
        var run = new RunDirectory(Path.Combine(Path.GetTempPath(), "grokking-bench-" + Guid.NewGuid().ToString("N")));
        var checkpointer = new Checkpointer(run, model, optimizer, model.Parameters[0].Value.device);
        var result = MidRunResult();
        try
        {
            return MeanMs(repeats, () =>
            {
                checkpointer.SaveWeights(done);
                checkpointer.SaveState(result, done);
                return true;
            });
        }
        finally
        {
            Directory.Delete(run.Path, recursive: true);
        }
    }

    private TrainingResult MidRunResult()
    {
        var train = options.Train;
        long totalSteps = train.Steps > 0 ? train.Steps : (long)train.Epochs * loop.StepsPerEpoch;
        long half = Math.Min(totalSteps / 2, 10_000_000 / members.Count);
        var row = new MetricRow(0, 0, 0, 1, 1, 0.5, 1, 1, 0.5, 10, 0.01, 1, 1, null, MemberEvents.Never);
        var metrics = new List<MetricRow>();
        for (long step = train.MetricsEvery; step <= half; step += train.MetricsEvery)
        {
            metrics.AddRange(members.Select((_, m) => row with { Step = step, Epoch = (double)step / loop.StepsPerEpoch, Member = m }));
        }

        return new TrainingResult
        {
            Members = members,
            Metrics = metrics,
            Events = [],
            StepLosses = members.Select(_ => Enumerable.Repeat(0.5f, (int)half).ToArray()).ToList(),
            StepsPerEpoch = loop.StepsPerEpoch,
            StepsCompleted = half,
            Interrupted = false,
        };
    }

    private T Mean<T>(int repeats, Func<T> phase, out double ms) where T : IDisposable
    {
        phase().Dispose();
        var clock = Stopwatch.StartNew();
        for (int r = 1; r < repeats; r++)
        {
            phase().Dispose();
        }

        var last = phase();
        Synchronize();
        ms = clock.Elapsed.TotalMilliseconds / repeats;
        return last;
    }

    private double MeanMs<T>(int repeats, Func<T> phase)
    {
        phase();
        var clock = Stopwatch.StartNew();
        for (int r = 0; r < repeats; r++)
        {
            phase();
        }

        Synchronize();
        return clock.Elapsed.TotalMilliseconds / repeats;
    }

    private T Time<T>(int phase, Func<T> call)
    {
        long start = Stopwatch.GetTimestamp();
        var result = call();
        Synchronize();
        stepMs[phase] += Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        return result;
    }

    private void Synchronize()
    {
        if (model.Parameters[0].Value.device_type == TorchSharp.DeviceType.CUDA)
        {
            cuda.synchronize();
        }
    }

    public void Dispose()
    {
        lossBuffer.Dispose();
        optimizer.Dispose();
        data.Dispose();
        model.Dispose();
    }
}
