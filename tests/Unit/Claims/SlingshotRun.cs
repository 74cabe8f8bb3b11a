using Grokking.Claims.Analyses;
using Grokking.Claims.Contracts;
using Grokking.Training;
using Grokking.Configuration;

namespace Grokking.Tests.Unit.Claims;

/// <summary>
/// Synthetic pg-slingshot runs for PG-3 and PG-5: seeds 0, 1, 2 with one member each, <see cref="Steps"/> per-step
/// samples and a metric row every <see cref="RowsEvery"/> steps. A slingshot starting at step s (sample s − 1) lifts the
/// train loss from ~1e-3 to 0.5 and lets it decay over 10 steps, grows the output-layer norm 2% per step for 3 steps
/// (it grows 1e-4 per step otherwise), and, where the member's cosine distance has bursts, sets d to 1e-3 at steps
/// s − 1 and s (the big update comes just before the loss it causes). Noise is uniform and seeded.
/// </summary>
internal static class SlingshotRun
{
    public const int Steps = 3000;
    public const int RowsEvery = 50;

    /// <summary>Where the paper's picture puts the slingshots: four, evenly spaced.</summary>
    public static readonly int[] Spikes = [500, 1200, 1900, 2600];

    /// <summary>
    /// Per-step traces of one member, its validation rise (long.MaxValue: never), its divergence step, and the step from
    /// which validation accuracy sits at a memorization level of 0.4 before its rise (long.MaxValue: none).
    /// </summary>
    public sealed record Member(
        double[] Loss, double[] Norm, double[] Distance, long RiseStep, long DivergedStep = MemberEvents.Never, long MemorizeStep = long.MaxValue);

    /// <summary>The per-step quiet cosine distance: 1e-5 · (1 ± 5%), noise drawn from <paramref name="random"/>.</summary>
    public static double QuietDistance(Random random) => 1e-5 * (1 + (0.1 * (random.NextDouble() - 0.5)));

    /// <summary>
    /// A member with loss slingshots at <paramref name="lossSpikes"/>, norm-growth spikes at <paramref name="normSpikes"/>
    /// (default: the loss spikes), cosine-distance bursts at <paramref name="distanceBursts"/> (default: the loss spikes)
    /// on top of <paramref name="distance"/> (step → quiet d; default <see cref="QuietDistance"/>).
    /// </summary>
    public static Member Slingshots(
        long seed,
        int[] lossSpikes,
        long riseStep,
        int[]? normSpikes = null,
        int[]? distanceBursts = null,
        Func<int, Random, double>? distance = null)
    {
        var random = new Random((int)seed + 11);
        double[] loss = new double[Steps];
        double[] norm = new double[Steps];
        double[] d = new double[Steps];
        double level = 10;
        var normSet = (normSpikes ?? lossSpikes).ToHashSet();
        for (int t = 0; t < Steps; t++)
        {
            int step = t + 1;
            loss[t] = 1e-3 * (1 + (0.1 * (random.NextDouble() - 0.5)));
            foreach (int s in lossSpikes.Where(s => step >= s && step < s + 10))
            {
                loss[t] += 0.5 * Math.Exp(-(step - s) / 3.0);
            }

            bool normSpike = normSet.Any(s => step >= s && step < s + 3);
            level *= 1 + (normSpike ? 0.02 : 1e-4 + (2e-5 * (random.NextDouble() - 0.5)));
            norm[t] = level;
            d[t] = distance?.Invoke(step, random) ?? QuietDistance(random);
            if ((distanceBursts ?? lossSpikes).Any(s => step == s - 1 || step == s))
            {
                d[t] = 1e-3;
            }
        }

        return new Member(loss, norm, d, riseStep);
    }

    /// <summary>
    /// The paper's picture for every seed: slingshots at <see cref="Spikes"/>, validation rising at step 1950, 50 steps
    /// after the third.
    /// </summary>
    public static Member Paper(long seed) => Slingshots(seed, Spikes, 1950);

    /// <summary>
    /// The run: validation accuracy 0.01 before the member's rise and 0.99 from it. A diverged member keeps the
    /// trainer's shape: a non-finite loss from its diverging step on, the frozen weights' norm, a cosine distance of 0, and
    /// rows that carry the divergence step. Without <paramref name="traces"/> the norm and cosine lists are empty, as
    /// when Train:StepTraces is off.
    /// </summary>
    public static TrainingResult Result(Func<long, Member> member, bool traces = true)
    {
        var members = new List<MemberSpec>();
        var metrics = new List<MetricRow>();
        var events = new List<MemberEvents>();
        var losses = new List<float[]>();
        var norms = new List<float[]>();
        var cosines = new List<float[]>();
        foreach (long seed in new long[] { 0, 1, 2 })
        {
            int index = members.Count;
            var m = member(seed);
            members.Add(new MemberSpec(index, seed, 1e-3, 0, 1));
            long diverged = m.DivergedStep;
            bool After(int t) => diverged != MemberEvents.Never && t + 1 >= diverged;
            losses.Add([.. m.Loss.Select((v, t) => After(t) ? float.NaN : (float)v)]);
            norms.Add([.. m.Norm.Select((v, t) => (float)(After(t) ? m.Norm[diverged - 2] : v))]);
            cosines.Add([.. m.Distance.Select((v, t) => After(t) ? 0f : (float)v)]);
            for (long step = RowsEvery; step <= Steps; step += RowsEvery)
            {
                double val = step >= m.RiseStep ? 0.99 : step >= m.MemorizeStep ? 0.4 : 0.01;
                long divergedAt = diverged != MemberEvents.Never && step >= diverged ? diverged : MemberEvents.Never;
                metrics.Add(new MetricRow(step, step, index, 1e-3, 1e-3, 1, 1, 1, val, 10, 1e-3, 1, 1, null, divergedAt));
            }

            events.Add(new MemberEvents(index, RowsEvery, m.RiseStep <= Steps ? m.RiseStep : MemberEvents.Never, diverged));
        }

        return new TrainingResult
        {
            Members = members,
            Metrics = metrics,
            Events = events,
            StepLosses = losses,
            StepOutputNorms = traces ? norms : [],
            StepCosineDistances = traces ? cosines : [],
            StepsPerEpoch = 1,
            StepsCompleted = Steps,
            Interrupted = false,
        };
    }

    public static ClaimContext Context(TrainingResult result, string id, params RuleParameter[] tolerances)
    {
        var claim = new ClaimDefinition
        {
            Id = id, Experiment = "pg-slingshot", Seeds = [0, 1, 2], Members = new MemberFilter(), RuleParameters = [.. tolerances],
        };
        string report = Path.Combine(Path.GetTempPath(), "grokking-tests", Guid.NewGuid().ToString("N"));
        return new ClaimContext(claim, result, "dir", Profile.Ci, report);
    }

    /// <summary>The spike rule both claims share: baseline 20 steps, a rise of half the level, one onset per 30 steps.</summary>
    public static RuleParameter[] SpikeRuleParameters(string why) =>
        [new("spikeWindow", 20, why), new("spikeJump", 0.5, why), new("refractory", 30, why)];

    public static MeasuredValue Measured(AnalysisResult result, string key) => result.Measured.Single(m => m.Key == key);
}
