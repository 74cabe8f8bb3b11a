using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Grokking.Training;
using static TorchSharp.torch;

namespace Grokking.Landscape;

/// <summary>
/// Path points per population model, measured on the real work instead of a constant: the first path of a setup in
/// this process is evaluated in chunks of 1, 2, 4, ... points while the seconds per point fall (a bigger model
/// shares the fixed costs, until its activations leave the cache: 61 points per model were 4.4x slower at d_model 128),
/// and the fastest is kept for the setup's model, data, device and threads (<see cref="EvaluationLayout"/>). Every
/// point evaluated while measuring is a result, and a chunk's size never changes a point's bits.
/// </summary>
public static class PathChunkLayout
{
    public const string Kind = "points per model";

    /// <summary>The largest chunk tried: memory and cache bound it on a CPU; a GPU takes many.</summary>
    public static int MaxMembers(Device device) => device.type == TorchSharp.DeviceType.CUDA ? 128 : 16;

    /// <summary>Calls <paramref name="evaluate"/>(start, count) on consecutive chunks covering <paramref name="total"/> points.</summary>
    public static void Walk(LandscapeSetup setup, bool gradNorm, int total, Action<int, int> evaluate)
    {
        string key = Key(setup, gradNorm);
        int start = 0;
        int? members = setup.FixedMembersPerChunk ?? EvaluationLayout.Find(Kind, key);
        if (members is null)
        {
            (start, members) = Measure(setup, key, total, evaluate);
        }

        for (; start < total; start += members.Value)
        {
            evaluate(start, Math.Min(members.Value, total - start));
        }
    }

    /// <summary>Model and data options, the stochastic gradient norm's batch (or none), device and threads.</summary>
    /// <remarks>The options' full text goes in as a hash; the readable part names the usual model shape.</remarks>
    public static string Key(LandscapeSetup setup, bool gradNorm)
    {
        var m = setup.Model;
        string options = JsonSerializer.Serialize(setup.Model) + JsonSerializer.Serialize(setup.Data);
        string hash = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(options)))[..8];
        return $"{m.Kind} d_model {m.DModel} d_mlp {m.DMlp} layers {m.Layers} on {setup.Data.Kind} ({hash}), grad norm batch "
            + $"{(gradNorm ? setup.BatchSize : 0)}, {setup.Device} threads {get_num_threads()}";
    }

    /// <returns>The points evaluated while measuring, and the members per chunk for the rest.</returns>
    private static (int Done, int Members) Measure(LandscapeSetup setup, string key, int total, Action<int, int> evaluate)
    {
        var timings = new List<(int Size, double SecondsPerItem)>();
        int start = 0;
        bool settled = false;
        for (int m = 1; m <= MaxMembers(setup.Device) && start + m <= total; m *= 2)
        {
            var clock = Stopwatch.StartNew();
            evaluate(start, m);
            timings.Add((m, clock.Elapsed.TotalSeconds / m));
            start += m;
            if (timings.Count >= 2 && timings[^1].SecondsPerItem >= timings[^2].SecondsPerItem)
            {
                settled = true;
                break;
            }
        }

        if (timings.Count == 0)
        {
            return (0, setup.NumericsMembers);
        }

        int chosen = timings.MinBy(t => t.SecondsPerItem).Size;
        if (settled || timings[^1].Size * 2 > MaxMembers(setup.Device))
        {
            EvaluationLayout.Record(new LayoutChoice(Kind, key, chosen, timings)); // a path too short to settle it measures again next time
        }

        return (start, chosen);
    }
}
