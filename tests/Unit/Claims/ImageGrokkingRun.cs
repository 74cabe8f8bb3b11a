using Grokking.Claims.Analyses;
using Grokking.Claims.Contracts;
using Grokking.Configuration;
using Grokking.Training;

namespace Grokking.Tests.Unit.Claims;

/// <summary>
/// Synthetic runs for <see cref="Grokking.Claims.Rules.OG.ImageGrokking"/> (OG-6, OG-13): a large and a standard
/// initialization of 3 seeds, rows every 100 steps to 100,000; each member's curve is step functions (<see cref="Curve"/>).
/// </summary>
internal static class ImageGrokkingRun
{
    public const long Every = 100;
    public const long Steps = 100_000;

    /// <summary>
    /// One member's curve: train accuracy 1 from <c>Fit</c> (0.3 before); test accuracy <c>Early</c> until <c>Rise</c>, then
    /// <c>Top</c>.
    /// </summary>
    public sealed record Curve(long Fit, long Rise, double Early, double Top);

    /// <summary>
    /// The context of a claim <paramref name="id"/> read by the rule with the given parameters (OG-6's fit, rise, delay and
    /// ceiling, the two alphas) and paper values, on members whose curves <paramref name="curve"/> gives per (seed, alpha).
    /// </summary>
    public static ClaimContext Context(
        string id, (double Large, double Standard) alphas, Func<long, double, Curve> curve,
        IReadOnlyList<PaperValue>? paper = null, long? divergedSeedAtLarge = null)
    {
        var members = new List<MemberSpec>();
        var metrics = new List<MetricRow>();
        var events = new List<MemberEvents>();
        foreach (long seed in new long[] { 0, 1, 2 })
        {
            foreach (double alpha in new[] { alphas.Large, alphas.Standard })
            {
                int index = members.Count;
                var c = curve(seed, alpha);
                members.Add(new MemberSpec(index, seed, 1e-3, 0.01, alpha));
                long diverged = divergedSeedAtLarge == seed && alpha == alphas.Large ? 2000 : MemberEvents.Never;
                for (long step = Every; step <= Steps; step += Every)
                {
                    double train = step >= c.Fit ? 1.0 : 0.3;
                    double test = step >= c.Rise ? c.Top : c.Early;
                    metrics.Add(new MetricRow(step, step / 5.0, index, 0.1, 0.1, train, 0.1, 0.1, test, 10, 1e-3, 1, 1, null,
                        step >= diverged ? diverged : MemberEvents.Never));
                }

                events.Add(new MemberEvents(index, c.Fit, MemberEvents.Never, diverged));
            }
        }

        var result = SyntheticResult.Of(members, metrics, events, 5, Steps);
        var claim = new ClaimDefinition
        {
            Id = id,
            Seeds = [0, 1, 2],
            Members = new MemberFilter(),
            Paper = [.. paper ?? []],
            RuleParameters =
            [
                new("fitLevel", 0.99, "r"), new("riseShare", 0.9, "r"), new("grokkingDelay", 10, "r"),
                new("minTestAccuracy", 0.5, "r"), new("largeInit", alphas.Large, "r"), new("standardInit", alphas.Standard, "r"),
            ],
        };
        string report = Path.Combine(Path.GetTempPath(), "grokking-tests", Guid.NewGuid().ToString("N"));
        return new ClaimContext(claim, result, "dir", Profile.Ci, report);
    }
}
