using Grokking.Claims.Analyses;
using Grokking.Claims.Contracts;
using Grokking.Landscape;

namespace Grokking.Tests.Unit.Claims;

/// <summary>
/// PG-7 under issue 25 (<see cref="GrokkingSlices"/>): the redesigned rule (the pre-grokking ridge contrasted with the
/// ridge left after grokking) is universal, so a counterexample within the float32 resolution does not refute and one
/// just past it does; its control (the slice after grokking against a later grokked one) refutes where the rule
/// confirms; and the control's later grokked snapshot is the one nearest the middle.
/// </summary>
public sealed class GrokkingSlicesAuditTests
{
    private static readonly GrokkingSlices.Limits Limits = new(MemorizedLevel: 0.99, ValleyValAccuracy: 0.5, MinRidge: 2, MinContrast: 2);

    /// <summary>
    /// Train loss 0.01 on the grid except 0.01 · <paramref name="ridge"/> at a = 0.5: its ridge ratio is exactly
    /// <paramref name="ridge"/>.
    /// </summary>
    private static PathEvaluation Slice(double ridge, double valAccuracy = 0.05) =>
        new("slice", PathKind.Segment, 0, [0.0, 1.0],
        [
            .. GrokkingSlices.Alphas(21).Select(a =>
            {
                double loss = Math.Abs(a - 0.5) < 1e-9 ? 0.01 * ridge : 0.01;
                return new PathPoint(a, loss, loss, 1, 1, 0, 1 - valAccuracy, 0, double.NaN, 10);
            }),
        ]);

    private static List<GrokkingSlices.SeedSlices> ClaimSlices(double preRidge, double referenceRidge = 1) =>
        [.. new long[] { 0, 1, 2 }.Select(seed => new GrokkingSlices.SeedSlices(
            seed, [(300, Slice(preRidge)), (600, Slice(preRidge + 1))], (2600, Slice(referenceRidge, valAccuracy: 1)), Valley: true))];

    [Fact]
    public void A_contrast_past_the_threshold_only_within_the_float_resolution_does_not_refute()
    {
        double resolution = GrokkingSlices.Resolution(2);
        resolution.Should().BeApproximately(8 * Math.Pow(2, -24), 1e-15);

        // minRidge 1.5 here, so that only the contrast sits at its threshold.
        var within = GrokkingSlices.Decide(ClaimScope.Universal, Limits with { MinRidge = 1.5 }, ClaimSlices(2 * (1 - 1e-7)), "");
        var contrast = within.Comparisons.Single(c => c.Key == "ridgeContrast");

        contrast.Verdict.Should().Be(Verdict.Inconclusive, contrast.Reason);
        contrast.Reason.Should().Contain("only within the resolution");
        within.Verdict.Should().Be(Verdict.Inconclusive);
    }

    [Fact]
    public void A_contrast_just_past_the_resolution_refutes()
    {
        var past = GrokkingSlices.Decide(ClaimScope.Universal, Limits with { MinRidge = 1.5 }, ClaimSlices(2 * (1 - 1e-6)), "");

        past.Comparisons.Single(c => c.Key == "ridgeContrast").Verdict.Should().Be(Verdict.Refuted);
        past.Verdict.Should().Be(Verdict.Refuted, past.Reason);
    }

    [Fact]
    public void A_ridge_the_grokked_slice_still_crosses_as_high_refutes_the_escape()
    {
        // Pre-grokking ridges of 5x, but the slice after grokking crosses a 4x ridge too: contrast 1.25 < 2.
        var result = GrokkingSlices.Decide(ClaimScope.Universal, Limits, ClaimSlices(5, referenceRidge: 4), "");

        result.Comparisons.Single(c => c.Key == "ridgeRatioMin").Verdict.Should().Be(Verdict.Confirmed);
        result.Comparisons.Single(c => c.Key == "ridgeContrast").Verdict.Should().Be(Verdict.Refuted);
        result.Verdict.Should().Be(Verdict.Refuted);
    }

    [Fact]
    public void The_control_refutes_on_grokked_slices_where_the_rule_confirms_on_memorizing_ones()
    {
        // The claim's picture: memorizing slices behind a 5x ridge, grokked slices without one.
        var main = GrokkingSlices.Decide(ClaimScope.Universal, Limits, ClaimSlices(5, referenceRidge: 1), "");
        List<GrokkingSlices.SeedSlices> control =
        [
            .. new long[] { 0, 1, 2 }.Select(seed => new GrokkingSlices.SeedSlices(
                seed, [(2600, Slice(1, valAccuracy: 1))], (3500, Slice(1, valAccuracy: 1)), Valley: false)),
        ];

        var refuted = GrokkingSlices.Decide(ClaimScope.Universal, Limits, control, "control: ");

        main.Verdict.Should().Be(Verdict.Confirmed, main.Reason);
        refuted.Verdict.Should().Be(Verdict.Refuted, refuted.Reason);
        refuted.Reason.Should().StartWith("control: ");
        new GrokkingSlices().ControlName.Should().Be("slice-after-grokking");
    }

    [Fact]
    public void The_controls_reference_is_the_grokked_snapshot_nearest_the_middle_between_the_first_after_grokking_and_theta_star()
    {
        using var run = new SyntheticRun(SyntheticRun.Sweep([0], [0.5]));
        for (long step = 10; step <= 100; step += 10)
        {
            // Memorized from 20, grokked from 40, but step 70 sits in a spike (not grokked there).
            bool spike = step == 70;
            run.Row(0, step, 0.1, spike ? 0.3 : step >= 20 ? 1 : 0.5, spike ? 0.2 : step >= 40 ? 1 : 0.05);
        }

        var result = run.Result();
        long[] snapshots = [10, 20, 30, 40, 50, 60, 70, 80, 90, 100];
        var plan = SlicePlan.Of(result, snapshots, result.Members[0], 0.99, 0.1, slices: 2);

        plan.AfterGrokking.Should().Be(40);
        plan.FinalStep.Should().Be(100);
        // The middle is 70, a spike: the nearest grokked snapshots are 60 and 80, and the earlier wins the tie.
        GrokkingSlices.LaterGrokked(result, snapshots, plan, 0.99).Should().Be(60);
        GrokkingSlices.LaterGrokked(result, [10, 20, 30, 40, 100], plan, 0.99).Should().BeNull("nothing lies between");
    }
}
