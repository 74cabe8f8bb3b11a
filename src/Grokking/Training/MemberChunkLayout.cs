using System.Collections.Concurrent;
using System.Text.Json;
using Grokking.Configuration;
using Grokking.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace Grokking.Training;

/// <summary>
/// How many members of a population are stepped together (<see cref="MemberChunks"/>): Runtime:MembersPerChunk when
/// set, else the fastest of 1, 2, 4, ..., K timed on a few steps of a throwaway population of the run's shape on the
/// run's own data (never the run's model: timing it would train it), on the device and threads it runs on. A batched
/// [K, ...] working set can fall out of cache where a chunk's stays in it, so no constant suits every shape and CPU.
/// The choice is kept per shape, K, threads and device for the process (lanes training one setup measure once). The
/// layout changes no result, only the speed: on one CPU thread every member's arithmetic is the same in a chunk of any
/// size (MemberChunkInvarianceTests). With several intra-op threads it is not (a tanh MLP's steps moved in the last
/// bits with 2 threads: libtorch splits some kernels across threads by the tensor's size), and on a GPU the batched
/// kernels are chosen by size too, so there the whole population stays one chunk, whatever Runtime:MembersPerChunk says.
/// </summary>
public static class MemberChunkLayout
{
    /// <summary>
    /// Runs shorter than this keep the whole population in one chunk unless a choice is cached: timing the candidates
    /// (about 24 steps) would cost more than it saves.
    /// </summary>
    public const long StepsWorthMeasuring = 400;

    private static readonly ConcurrentDictionary<string, int> Chosen = new();

    /// <summary>Members per chunk for a run of <paramref name="steps"/> steps on <paramref name="data"/> (its members).</summary>
    public static int Choose(GrokkingOptions options, PopulationData data, Device device, long steps)
    {
        int k = data.Members;
        if (!LayoutInvariant(device))
        {
            return k;
        }

        if (options.Runtime.MembersPerChunk > 0 || k == 1)
        {
            return Math.Clamp(options.Runtime.MembersPerChunk, 1, k);
        }

        string key = KeyOf(options, k, device);
        if (Chosen.TryGetValue(key, out int cached))
        {
            return cached;
        }

        return steps < StepsWorthMeasuring ? k : Chosen.GetOrAdd(key, _ => Measure(options, data, device).Best);
    }

    /// <summary>
    /// Times the candidates for a population of <paramref name="members"/> (bench shows it: the layout a run of these
    /// options takes here); the choice is kept, so a run of the same shape in this process takes it without timing.
    /// </summary>
    public static MemberChunkTimings Measure(GrokkingOptions options, IReadOnlyList<MemberSpec> members, Device device)
    {
        long[] seeds = [.. members.Select(m => m.Seed)];
        using var data = PopulationDataFactory.Create(options.Data, seeds, device, options.Model.DType, [.. members.Select(m => m.TrainFraction)],
            MemberSpec.SweptSamples(members), MemberSpec.SweptMessiness(members));
        var timings = Measure(options, data, device);
        Chosen[KeyOf(options, data.Members, device)] = timings.Best;
        return timings;
    }

    /// <summary>
    /// Each round times every candidate once (interleaved, so a disturbance from other work hits one measurement, not
    /// one candidate); a candidate's time is its best round.
    /// </summary>
    internal static MemberChunkTimings Measure(GrokkingOptions options, PopulationData data, Device device, int rounds = 2, int steps = 2)
    {
        int k = data.Members;
        int[] candidates = [.. Enumerable.Range(0, 30).Select(i => 1 << i).TakeWhile(c => c < k), k];
        var best = candidates.ToDictionary(c => c, _ => double.PositiveInfinity);
        using var trial = new MemberChunkTrial(options, data, device);
        for (int r = 0; r < rounds; r++)
        {
            foreach (int c in candidates)
            {
                best[c] = Math.Min(best[c], trial.SecondsPerStep(c, steps));
            }
        }

        return new MemberChunkTimings(k, best);
    }

    /// <summary>Whether chunks of any size compute the same bits here: one CPU thread (see the type's remarks).</summary>
    public static bool LayoutInvariant(Device device) => device.type == DeviceType.CPU && get_num_threads() == 1;

    private static string KeyOf(GrokkingOptions options, int k, Device device) => JsonSerializer.Serialize(new
    {
        options.Model,
        options.Data,
        options.Train.BatchSize,
        options.Train.StepTraces,
        options.Optimizer.Name,
        Members = k,
        Threads = get_num_threads(),
        Device = device.ToString(),
    });
}
