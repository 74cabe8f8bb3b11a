using Grokking.Claims.Analyses;
using Grokking.Claims.Contracts;
using Grokking.Claims.Toolkit;
using static Grokking.Tests.Unit.Claims.SlingshotRun;

namespace Grokking.Tests.Unit.Claims;

/// <summary>
/// PG-5 under issue 25 (<see cref="LazyRegime"/>): the typical scope read through the seed interval (within noise,
/// confirmed, refuted), the time-shuffled control, and the measurement question "what does 'except at the slingshot
/// location' exclude" pinned on synthetic series, the old ± halfWidth windows' answer beside the new spans'.
/// </summary>
public sealed class LazyRegimeAuditTests
{
    private static RuleParameter[] Parameters(double maxQuietCv = 0.2) =>
    [
        .. SpikeRuleParameters("r"),
        new("burnIn", 100, "r"), new("maxQuietCv", maxQuietCv, "r"), new("spikeFactor", 10, "r"), new("minCoverage", 0.5, "r"),
    ];

    private static ClaimContext Typical(Func<long, Member> member, double maxQuietCv = 0.2)
    {
        var context = Context(Result(member), "PG-5", Parameters(maxQuietCv));
        context.Claim.Scope = new ScopeDeclaration { Kind = "typical", Reason = "r" };
        return context;
    }

    /// <summary>Quiet d uniform in 1e-5 · (1 ± width / 2): CV = width / √12.</summary>
    private static Member WithQuietCv(long seed, double cv) =>
        Slingshots(seed, Spikes, 1950, distance: (_, r) => 1e-5 * (1 + (cv * Math.Sqrt(12) * (r.NextDouble() - 0.5))));

    [Fact]
    public void Quiet_variations_straddling_the_threshold_across_seeds_are_inconclusive_within_noise()
    {
        // Quiet CVs about 0.12, 0.19 and 0.26 around maxQuietCv 0.2: the seed interval straddles it.
        double[] cvs = [0.12, 0.19, 0.26];
        var result = new LazyRegime().Analyze(Typical(s => WithQuietCv(s, cvs[(int)s])));

        result.Verdict.Should().Be(Verdict.Inconclusive, result.Reason);
        var cv = result.Comparisons.Single(c => c.Key == "quietCv");
        cv.Verdict.Should().Be(Verdict.Inconclusive);
        cv.Reason.Should().Contain("within noise");
        cv.SeedsNeeded.Should().NotBeNull().And.BeGreaterThan(3);
        cv.Low.Should().BeLessThan(0.2);
        cv.High.Should().BeGreaterThan(0.2);
    }

    [Fact]
    public void Quiet_variations_wholly_below_the_threshold_confirm_and_wholly_above_refute()
    {
        var below = new LazyRegime().Analyze(Typical(s => WithQuietCv(s, 0.10 + (0.01 * s))));
        var above = new LazyRegime().Analyze(Typical(s => WithQuietCv(s, 0.30 + (0.01 * s))));

        below.Verdict.Should().Be(Verdict.Confirmed, below.Reason);
        above.Verdict.Should().Be(Verdict.Refuted, above.Reason);
        above.Comparisons.Single(c => c.Key == "quietCv").Flip.ConfirmAt.Should().BeGreaterThan(0.3, "a larger maxQuietCv would confirm");
    }

    [Fact]
    public void The_control_shuffles_the_bursts_into_the_quiet_part_and_refutes_where_the_rule_confirms()
    {
        var context = Typical(Paper);

        var main = new LazyRegime().Analyze(context);
        var control = new LazyRegime().AnalyzeControl(context);

        main.Verdict.Should().Be(Verdict.Confirmed, main.Reason);
        control.Verdict.Should().Be(Verdict.Refuted, control.Reason);
        control.Comparisons.Single(c => c.Key == "quietCv").Verdict.Should().Be(Verdict.Refuted);
        control.Reason.Should().StartWith("d shuffled in time (control, seed 25)");
        new LazyRegime().ControlName.Should().Be("time-shuffled-distance");
    }

    [Fact]
    public void The_shuffle_is_fixed_keeps_the_burn_in_and_only_reorders()
    {
        double[] series = [.. Enumerable.Range(0, 50).Select(i => (double)i)];

        var once = LazyRegime.Shuffled(series, 10);

        once.Should().Equal(LazyRegime.Shuffled(series, 10), "the seed is fixed");
        once.Take(10).Should().Equal(series.Take(10));
        once.Should().BeEquivalentTo(series);
        once.Skip(10).Should().NotEqual(series.Skip(10));
    }

    /// <summary>
    /// A member whose loss spikes every <paramref name="period"/> steps from step 300 and stays at 0.5 for
    /// <paramref name="spiked"/> steps each time (1e-3 otherwise), with d at 1e-3 over each spike and the update before it,
    /// and d = 1e-5 (± 5 %) elsewhere: the slingshot location is exactly the spiked stretch.
    /// </summary>
    private static Member Frequent(long seed, int period, int spiked)
    {
        var random = new Random((int)seed + 3);
        var onsets = Enumerable.Range(0, Steps).Select(i => 300 + (i * period)).TakeWhile(s => s + spiked < Steps).ToList();
        bool Spiked(int step) => onsets.Any(s => step >= s && step < s + spiked);
        double[] loss = [.. Enumerable.Range(1, Steps).Select(step => Spiked(step) ? 0.5 : 1e-3 * (1 + (0.1 * (random.NextDouble() - 0.5))))];
        double[] d = [.. Enumerable.Range(1, Steps).Select(step => Spiked(step) || Spiked(step + 1) ? 1e-3 : QuietDistance(random))];
        double[] norm = [.. Enumerable.Range(1, Steps).Select(step => 10 * (1 + (1e-4 * step)))];
        return new Member(loss, norm, d, 1950);
    }

    [Fact]
    public void Measurement_question_the_slingshot_location_is_the_spiked_span_not_a_window_around_the_onset()
    {
        // Spikes every 92 steps, each 20 steps long (as ci's cadence): the old ± 100-step windows cover everything
        // between the first and last onset, the spans only the spikes.
        var result = new LazyRegime().Analyze(Typical(s => Frequent(s, 92, 20)));

        result.Verdict.Should().Be(Verdict.Confirmed, result.Reason);
        var m = Frequent(0, 92, 20);
        double[] loss = [.. m.Loss.Select((v, i) => i < 100 ? double.NaN : v)];
        double[] d = [.. m.Distance.Select((v, i) => i < 100 ? double.NaN : v)];
        var rule = new SpikeRule(20, 0.5, 30);
        var spans = SpikeDetector.Spans(loss, rule);
        spans.Should().AllSatisfy(s => (s.End - s.Onset).Should().Be(19, "a span ends where the loss falls back under the onset's threshold"));
        // New definition: the spans and the update before each onset are out; the rest of the run is the quiet sample.
        double expected = 1 - (spans.Count * 21.0 / 2900);
        result.Measured.Single(x => x.Key == "coverage").PerSeed![0].Should().BeApproximately(expected, 1e-12);
        // The old rule (± 100 steps around every onset) keeps only the run's edges: steps 100-199 and after the last window.
        var old = QuietVariation.Of(d, LossOnsets(loss, rule), halfWidth: 100);
        double oldCoverage = old.Kept / 2900.0;
        oldCoverage.Should().BeLessThan(0.15).And.BeLessThan(expected / 5);
        old.QuietCv.Should().BeLessThan(0.2, "the old rule judged (and would have confirmed) on those edges alone");
        expected.Should().BeGreaterThan(0.7);
    }

    [Fact]
    public void Spans_that_cover_most_of_the_run_leave_it_inconclusive_with_the_measured_coverage()
    {
        // Spikes every 92 steps that stay up for 70: about a quarter of the run is outside them, less than "most".
        var result = new LazyRegime().Analyze(Typical(s => Frequent(s, 92, 70)));

        result.Verdict.Should().Be(Verdict.Inconclusive, result.Reason);
        result.Reason.Should().Contain("leave too little of the run to judge").And.Contain("share of the run's steps outside the slingshot spans");
        var coverage = result.Comparisons.Single(c => c.Key == "coverage");
        coverage.Verdict.Should().Be(Verdict.Refuted);
        coverage.Estimate.Should().BeInRange(0.2, 0.35);
        result.Comparisons.Single(c => c.Key == "quietCv").Verdict.Should().Be(Verdict.Confirmed, "it is measured all the same");
    }

    private static IReadOnlyList<int> LossOnsets(double[] loss, SpikeRule rule) => SpikeDetector.Onsets(loss, rule);
}
