using Grokking.Training;
using static TorchSharp.torch;

namespace Grokking.Landscape;

/// <summary>
/// How many curve fits share one population model, chosen by measuring on the device the fits run on. On this
/// 2-core CPU a population of 8 d64 transformers steps at 0.8x the speed of its members one after another (the
/// batched working set leaves the cache); on a GPU the population is what pays. The choice is made once per model
/// shape, fit count and thread count in a process, from a few steps of each candidate (1, 2, 4, ... fits), and it
/// changes no result: a layout is taken only where the measurement shows it gives the fits' bits unchanged (tested).
/// </summary>
public static class FitLayout
{
    private const int WarmupSteps = 2;
    private const int TimedSteps = 6;
    private const string Kind = "fits per population";

    public static int MembersPerChunk(LandscapeSetup setup, IReadOnlyList<FitRequest> requests)
    {
        if (requests.Count == 1)
        {
            return 1;
        }

        return setup.Device.type == TorchSharp.DeviceType.CUDA
            ? requests.Count
            : EvaluationLayout.Choose(Kind, Key(setup, requests.Count), () => Measure(setup, requests));
    }

    /// <summary>
    /// The candidate with the least time per fit-step, among those in which every fit ends the measurement with the same
    /// bend bits as alone. Kernels are chosen by shape, not value, so equal bits over these steps mean equal bits
    /// throughout; where a population size changes them (small MLPs, whose batched BLAS path differs), every fit stays
    /// in one population, the layout the fitter always had. Every member is compared, not only the first: a member at
    /// another offset in the batched weights can round differently while the first does not (seen on CI's 2 cores).
    /// </summary>
    private static LayoutChoice Measure(LandscapeSetup setup, IReadOnlyList<FitRequest> requests)
    {
        var timings = new List<(int Size, double SecondsPerItem)>();
        var alone = new List<byte[]>();
        for (int size = 1; ; size = Math.Min(size * 2, requests.Count))
        {
            var sample = requests.Take(size).Select(r => r with { Epochs = WarmupSteps + TimedSteps }).ToList();
            CurveFitter.TimeSteps(setup, sample, WarmupSteps);
            var (seconds, bends) = CurveFitter.TimeSteps(setup, sample, TimedSteps);
            timings.Add((size, seconds));
            if (!SameAsAlone(setup, sample, bends, alone))
            {
                return new LayoutChoice(Kind, Key(setup, requests.Count) + " (bits depend on the population size)", requests.Count, timings);
            }

            if (size == requests.Count)
            {
                // Least time per fit-step; ties go to the larger population.
                int best = timings.OrderBy(t => t.SecondsPerItem).ThenByDescending(t => t.Size).First().Size;
                return new LayoutChoice(Kind, Key(setup, requests.Count), best, timings);
            }
        }
    }

    /// <summary>Whether each fit of the sample has the bits it has alone; fits first seen here are run alone once.</summary>
    private static bool SameAsAlone(LandscapeSetup setup, List<FitRequest> sample, byte[][] bends, List<byte[]> alone)
    {
        for (int k = 0; k < sample.Count; k++)
        {
            if (alone.Count == k)
            {
                alone.Add(sample.Count == 1 ? bends[0] : CurveFitter.TimeSteps(setup, [sample[k]], TimedSteps).Bends[0]);
            }

            if (!bends[k].AsSpan().SequenceEqual(alone[k]))
            {
                return false;
            }
        }

        return true;
    }

    private static string Key(LandscapeSetup setup, int fits)
    {
        var m = setup.Model;
        string shape = $"{m.Kind} {m.Layers}x d{m.DModel}/{m.DMlp} [{string.Join(",", m.Hidden)}]";
        return $"{shape}, {setup.Data.Kind}, batch {setup.BatchSize}, {fits} fits, {get_num_threads()} threads";
    }
}
