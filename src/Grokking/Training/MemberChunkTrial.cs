using System.Diagnostics;
using Grokking.Configuration;
using Grokking.Data;
using Grokking.Models;
using Grokking.Optim;
using static TorchSharp.torch;

namespace Grokking.Training;

/// <summary>
/// A throwaway population of a run's shape on the run's data, for timing training steps under each chunk layout
/// (<see cref="MemberChunkLayout"/>). Its weights are initialized as a run's are, so the arithmetic is a run's.
/// </summary>
internal sealed class MemberChunkTrial : IDisposable
{
    private readonly GrokkingOptions options;
    private readonly PopulationData data;
    private readonly PopulationModel model;
    private readonly PopulationOptimizer optimizer;
    private readonly StepTracer? tracer;
    private readonly Tensor losses;
    private readonly MinibatchLoop loop;
    private long step;

    public MemberChunkTrial(GrokkingOptions options, PopulationData data, Device device)
    {
        this.options = options;
        this.data = data;
        int k = data.Members;
        long[] seeds = [.. Enumerable.Range(0, k).Select(i => (long)i)];
        model = PopulationModelFactory.Create(k, options.Model, options.Data, device);
        model.Initialize(seeds, [.. Enumerable.Repeat(options.Model.InitScale, k)]);
        var o = options.Optimizer;
        optimizer = new PopulationOptimizer(
            model, o, [.. Enumerable.Repeat(o.LearningRate, k)], [.. Enumerable.Repeat(o.WeightDecay, k)]);
        tracer = options.Train.StepTraces ? new StepTracer(model, 1) : null;
        losses = zeros(k, 1, device: device);
        loop = new MinibatchLoop(
            data.TrainCount, options.Train.BatchSize, seeds, device, shuffleFullBatch: false, data.MemberTrainCounts());
    }

    /// <summary>
    /// Seconds per step over <paramref name="steps"/> steps in chunks of <paramref name="membersPerChunk"/>, after one
    /// untimed step.
    /// </summary>
    public double SecondsPerStep(int membersPerChunk, int steps)
    {
        using var chunks = new MemberChunks(membersPerChunk, options, model, optimizer, data, tracer, losses);
        var clock = new Stopwatch();
        foreach (var batch in loop.Steps(step, step + steps + 1))
        {
            if (batch.Step == step + 1)
            {
                Synchronize();
                clock.Start();
            }

            chunks.Step(batch, metricStep: false, _ => true);
        }

        Synchronize();
        step += steps + 1;
        return clock.Elapsed.TotalSeconds / steps;
    }

    /// <summary>Waits for the device's queued work (a value read back): a GPU runs asynchronously.</summary>
    private void Synchronize()
    {
        using var total = losses.sum();
        total.item<float>();
    }

    public void Dispose()
    {
        tracer?.Dispose();
        losses.Dispose();
        optimizer.Dispose();
        model.Dispose();
    }
}
