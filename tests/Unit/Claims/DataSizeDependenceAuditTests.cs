using Grokking.Claims.Analyses;
using Grokking.Claims.Contracts;

namespace Grokking.Tests.Unit.Claims;

/// <summary>
/// OG-7 under issue 25 (<see cref="DataSizeDependence"/>): the trend is universal, so a rise of the time with more data
/// past timeSlack only within the metric cadence's resolution does not refute and one just past it does; the train-curve
/// control refutes where the rule confirms. Synthetic sweeps from <see cref="FractionSweepRun"/> (rows every 100 steps).
/// </summary>
public sealed class DataSizeDependenceAuditTests
{
    // Fractions 0.1, 0.2, 0.3, 0.5, 0.7: below 0.25 never; 0.3 at 10,000, 0.5 at 5,000, 0.7 at 2,000 steps, except
    // seed 2's 0.7, which takes the given steps.
    private static Func<long, double, long?> Sweep(long seed2At07) => (seed, r) => r < 0.25 ? null
        : r == 0.3 ? 10_000 : r == 0.5 ? 5_000 : seed == 2 ? seed2At07 : 2_000;

    [Fact]
    public void A_rise_past_the_slack_only_within_the_cadence_resolution_does_not_refute()
    {
        // 5,000 -> 5,600: a rise of 0.12 against 0.1; each time is known to 100 steps, so the rise to
        // 100 · (5,000 + 5,600) / 5,000² = 0.0424: past by 0.02, within it.
        var result = new DataSizeDependence().Analyze(DataSizeDependenceTests.Context(Sweep(5_600), withCriticalFactor: false));

        var trend = result.Comparisons.Single(c => c.Key == "worstRise");
        trend.Resolution.Should().BeApproximately(0.0424, 1e-4);
        trend.Worst.Should().BeApproximately(0.12, 1e-12);
        trend.Verdict.Should().Be(Verdict.Inconclusive, trend.Reason);
        trend.Reason.Should().Contain("only within the resolution");
        result.Verdict.Should().Be(Verdict.Inconclusive, result.Reason);
    }

    [Fact]
    public void A_rise_just_past_the_resolution_refutes()
    {
        // 5,000 -> 5,800: a rise of 0.16, past 0.1 by 0.06 > the resolution 100 · 10,800 / 5,000² = 0.0432.
        var result = new DataSizeDependence().Analyze(DataSizeDependenceTests.Context(Sweep(5_800), withCriticalFactor: false));

        var trend = result.Comparisons.Single(c => c.Key == "worstRise");
        trend.Verdict.Should().Be(Verdict.Refuted, trend.Reason);
        trend.Flip.ConfirmAt.Should().BeApproximately(0.16, 1e-12, "a slack of 0.16 would let the worst seed hold");
        result.Verdict.Should().Be(Verdict.Refuted);
    }

    [Fact]
    public void The_train_curve_control_refutes_where_the_test_curve_confirms()
    {
        // Train accuracy is 1 from the first row at every fraction: no critical size in the train curve.
        var context = DataSizeDependenceTests.Context(Sweep(2_000), withCriticalFactor: false);

        var main = new DataSizeDependence().Analyze(context);
        var control = new DataSizeDependence().AnalyzeControl(context);

        main.Verdict.Should().Be(Verdict.Confirmed, main.Reason);
        control.Verdict.Should().Be(Verdict.Refuted, control.Reason);
        control.Reason.Should().StartWith("train curves").And.Contain("no failing fraction");
        new DataSizeDependence().ControlName.Should().Be("train-curve");
    }
}
