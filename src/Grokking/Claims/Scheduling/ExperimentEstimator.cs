using Grokking.Configuration;
using Grokking.Training;
using TorchSharp;

namespace Grokking.Claims.Scheduling;

/// <summary>
/// Estimates a run's training time without running it: <see cref="StepProfiler"/> times a sample of the run's members (the
/// largest train fractions first, so the sample's data are padded as the whole population's are) for a few steps and its
/// metric step once, and the population's cost is that sample's scaled by members (a CPU runs a population's members one
/// after another in effect: the bench measures population and sequential within a few percent). The matmul FLOPs of the
/// same steps over the roofline of their shapes say how far from the ceiling the engine runs.
/// </summary>
public static class ExperimentEstimator
{
    /// <summary>Members profiled at most: enough for the batched kernels' shapes, few enough that the paper's sweeps take seconds.</summary>
    public const int SampleMembers = 4;

    private const int TimedSteps = 3;

    /// <summary>A population step projected under this many milliseconds is measured whole rather than scaled from a sample.</summary>
    public const double CheapStepMs = 1000;

    /// <param name="finishedSteps">The steps a finished run of these options took (the cache's); null: the budget's.</param>
    /// <param name="cheapStepMs">See <see cref="CheapStepMs"/> (tests pin the choice instead of timing it).</param>
    public static ExperimentEstimate Estimate(
        string experiment,
        GrokkingOptions options,
        torch.Device device,
        double? recordedSeconds,
        long? finishedSteps = null,
        double cheapStepMs = CheapStepMs)
    {
        var members = PopulationSetup.Members(options);
        var (profile, sampled) = Profile(options, members, device, cheapStepMs);
        var train = options.Train;
        long budget = train.Steps > 0 ? train.Steps : train.Epochs * profile.StepsPerEpoch;
        long steps = finishedSteps ?? budget;
        double memberFlops = ModelMatmuls.MemberStepFlops(options, profile.BatchRows, profile.TrainRows, profile.ValRows);
        double roofline = TrainingBenchmark.Roofline(options, sampled, device, seconds: 0.3).GflopPerSecond;
        return new ExperimentEstimate(
            experiment,
            members.Count,
            sampled,
            steps,
            train.MetricsEvery,
            profile.MsPerStep * members.Count / sampled,
            memberFlops * members.Count * steps / 1e9,
            roofline,
            recordedSeconds,
            EarlyStop: finishedSteps is null && train.StopMarginSteps >= 0);
    }

    /// <summary>
    /// The step of a sample of <see cref="SampleMembers"/> (largest train fractions or sizes first, so that its data are padded as
    /// the population's), or of every member where that is cheap: a small model's per-op overhead is shared by its
    /// population, so scaling a sample by members would overstate it.
    /// </summary>
    private static (StepProfile Profile, int Sampled) Profile(
        GrokkingOptions options, IReadOnlyList<MemberSpec> members, torch.Device device, double cheapStepMs)
    {
        var sample = members.OrderByDescending(m => double.IsNaN(m.TrainFraction) ? 0 : m.TrainFraction).ThenByDescending(m => m.TrainSamples)
            .Take(SampleMembers).Select((m, i) => m with { Index = i }).ToList();
        var profile = StepProfiler.Measure(options, sample, TimedSteps, repeats: 1, device);
        if (sample.Count == members.Count || profile.MsPerStep * members.Count / sample.Count > cheapStepMs)
        {
            return (profile, sample.Count);
        }

        return (StepProfiler.Measure(options, members, TimedSteps, repeats: 1, device), members.Count);
    }
}
