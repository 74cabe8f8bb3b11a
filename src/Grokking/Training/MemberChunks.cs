using Grokking.Configuration;
using Grokking.Data;
using Grokking.Models;
using Grokking.Optim;
using static TorchSharp.torch;

namespace Grokking.Training;

/// <summary>
/// A population split into chunks of members stepped one after another in lockstep. The whole population's model,
/// optimizer, data, step-loss buffer and tracer stay the storage: each chunk's are views of its members' rows, so the
/// metric steps, events and checkpoints read the whole population as they always have (today's files, any layout, a
/// run resumed under another layout). One chunk is the whole population itself.
/// </summary>
internal sealed class MemberChunks : IDisposable
{
    private readonly List<MemberChunk> chunks = [];
    private readonly bool views;

    public MemberChunks(
        int membersPerChunk, GrokkingOptions options, PopulationModel model, PopulationOptimizer optimizer, PopulationData data,
        StepTracer? tracer, Tensor losses)
    {
        int k = model.Members;
        int size = Math.Clamp(membersPerChunk, 1, k);
        MembersPerChunk = size;
        views = size < k;
        if (!views)
        {
            chunks.Add(new MemberChunk(0, model, optimizer, data, tracer, losses));
            return;
        }

        try
        {
            for (int first = 0; first < k; first += size)
            {
                chunks.Add(Chunk(first, Math.Min(size, k - first), options, model, optimizer, data, tracer, losses));
            }
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>Members per chunk (the last chunk may have fewer).</summary>
    public int MembersPerChunk { get; }

    public IReadOnlyList<MemberChunk> Chunks => chunks;

    /// <summary>One optimizer step of every chunk, in member order.</summary>
    /// <returns>At a metric step, [3, K]: each chunk's squared norms joined in member order; else null.</returns>
    public Tensor? Step(Minibatch batch, bool metricStep, Func<PopulationParameter, bool> invariant)
    {
        if (chunks.Count == 1)
        {
            return chunks[0].Step(batch, metricStep, invariant);
        }

        var parts = new List<Tensor>(chunks.Count);
        foreach (var chunk in chunks)
        {
            if (chunk.Step(batch, metricStep, invariant) is { } part)
            {
                parts.Add(part);
            }
        }

        if (!metricStep)
        {
            return null;
        }

        var joined = cat(parts, 1);
        parts.ForEach(p => p.Dispose());
        return joined;
    }

    private static MemberChunk Chunk(
        int first, int count, GrokkingOptions options, PopulationModel model, PopulationOptimizer optimizer, PopulationData data,
        StepTracer? tracer, Tensor losses)
    {
        var part = PopulationModelFactory.Create(count, options.Model, options.Data, model.Device, model.DType);
        try
        {
            part.ShareMembersOf(model, first);
            return new MemberChunk(
                first,
                part,
                optimizer.ForMembers(part, first),
                data.ForMembers(first, count),
                tracer?.ForMembers(part, first),
                losses.narrow(0, first, count));
        }
        catch
        {
            part.Dispose();
            throw;
        }
    }

    // Only views are disposed here: the whole population's tensors belong to the session.
    public void Dispose()
    {
        if (!views)
        {
            return;
        }

        foreach (var chunk in chunks)
        {
            chunk.Tracer?.Dispose();
            chunk.Losses.Dispose();
            chunk.Optimizer.Dispose();
            chunk.Data.Dispose();
            chunk.Model.Dispose();
        }

        chunks.Clear();
    }
}
