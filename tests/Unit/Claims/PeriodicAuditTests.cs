using Grokking.Claims.Analyses;
using Grokking.Claims.Contracts;
using Grokking.Tests.Unit.Engine;
using Grokking.Training;

namespace Grokking.Tests.Unit.Claims;

/// <summary>
/// Issue 25's decisions of PB-1 (universal), PB-4 (typical) and PB-5 (universal): comparisons over the seeds by the claim's
/// scope, each claim's negative control on synthetic data, with the rule values of claims/PB-1.json, PB-4.json, PB-5.json.
/// </summary>
public sealed class PeriodicAuditTests
{
    private const double RobustVal = 0.99;

    /// <summary>PB's validation set at p = 97, train fraction 0.4: 9409 - 3763 pairs; one pair is the resolution.</summary>
    private const int ValidationPairs = 5646;

    private const double Pair = 1.0 / ValidationPairs;

    private const double MaxRho = -0.3;

    private static GrokkingPoints Grokked(double maxVal, double valAtPoint1 = 0.02) => new(150, valAtPoint1, 2500, 2400, maxVal, null);

    // ---------------------------------------------------------------- PB-1: LayerNormGroks (universal)

    [Fact]
    public void PB1_every_seed_grokking_after_memorizing_confirms()
    {
        var comparisons = LayerNormGroks.Compare(ClaimScope.Universal, 2, [Grokked(1), Grokked(0.995), Grokked(0.9981)], ValidationPairs, RobustVal);

        comparisons.Select(c => c.Key).Should().Equal("maxValL2", "valAtPoint1L2");
        comparisons.Should().AllSatisfy(c => c.Verdict.Should().Be(Verdict.Confirmed));
        comparisons[0].Resolution.Should().Be(Pair);
    }

    [Fact]
    public void PB1_a_seed_short_of_the_robust_point_2_by_less_than_one_validation_pair_does_not_refute()
    {
        var within = LayerNormGroks.Compare(
            ClaimScope.Universal, 1, [Grokked(1), Grokked(1), Grokked(RobustVal - (0.5 * Pair))], ValidationPairs, RobustVal)[0];

        within.Verdict.Should().Be(Verdict.Inconclusive);
        within.Reason.Should().Contain("only within the resolution");
    }

    [Fact]
    public void PB1_a_seed_short_of_the_robust_point_2_by_more_than_one_validation_pair_refutes()
    {
        var past = LayerNormGroks.Compare(
            ClaimScope.Universal, 1, [Grokked(1), Grokked(1), Grokked(RobustVal - (2 * Pair))], ValidationPairs, RobustVal)[0];

        past.Verdict.Should().Be(Verdict.Refuted);
        past.Reason.Should().Contain("counterexample");
    }

    [Fact]
    public void PB1_control_validation_read_from_the_train_curve_has_no_delay_and_refutes_where_grokking_confirms()
    {
        // Train accuracy reaches 100% at epoch 10; validation stays at 2% until epoch 100, then 100%.
        var members = Enumerable.Range(0, 3).Select(k => new MemberSpec(k, k, 0.1, 0.001, 1)).ToList();
        using var run = new SyntheticRun(members);
        for (int k = 0; k < 3; k++)
        {
            for (int epoch = 1; epoch <= 150; epoch++)
            {
                run.Row(k, epoch, 1.0 / epoch, Math.Min(1, epoch / 10.0), epoch < 100 ? 0.02 : 1.0);
            }
        }

        var result = run.Result();
        var grokking = members.Select(m => GrokkingPoints.Of(result, m.Index, RobustVal)).ToList();
        var noDelay = members.Select(m => LayerNormGroks.TrainAsValidation(result, m.Index, RobustVal)).ToList();

        LayerNormGroks.Compare(ClaimScope.Universal, 1, grokking, ValidationPairs, RobustVal)
            .Should().AllSatisfy(c => c.Verdict.Should().Be(Verdict.Confirmed));
        noDelay.Should().AllSatisfy(p => p.ValAtPoint1.Should().Be(1));
        var control = LayerNormGroks.Compare(ClaimScope.Universal, 1, noDelay, ValidationPairs, RobustVal);
        control.Single(c => c.Key == "valAtPoint1L1").Verdict.Should().Be(Verdict.Refuted);
        Thresholds.Combine(control).Verdict.Should().Be(Verdict.Refuted);
    }

    // ---------------------------------------------------------------- PB-4: EffectiveGradientTrend (typical)

    [Fact]
    public void PB4_a_clear_downward_trend_in_every_seed_confirms()
    {
        var comparisons = EffectiveGradientTrend.Compare(ClaimScope.Typical, [-0.70, -0.72, -0.77], [0.27, 0.32, 0.24], MaxRho);

        comparisons.Should().AllSatisfy(c => c.Verdict.Should().Be(Verdict.Confirmed));
        comparisons[0].Method.Should().Be(IntervalMethod.StudentT);
    }

    [Fact]
    public void PB4_seed_rhos_around_the_bound_are_inconclusive_within_noise()
    {
        var rho = EffectiveGradientTrend.Compare(ClaimScope.Typical, [-0.20, -0.40, -0.35], [0.5, 0.6, 0.7], MaxRho)[0];

        rho.Verdict.Should().Be(Verdict.Inconclusive);
        rho.Reason.Should().Contain("within noise");
        rho.SeedsNeeded.Should().NotBeNull().And.BeGreaterThan(3);
    }

    [Fact]
    public void PB4_no_trend_refutes()
    {
        var comparisons = EffectiveGradientTrend.Compare(ClaimScope.Typical, [0.05, -0.02, 0.10], [1.1, 0.95, 1.2], MaxRho);

        comparisons[0].Verdict.Should().Be(Verdict.Refuted);
        Thresholds.Combine(comparisons).Verdict.Should().Be(Verdict.Refuted);
    }

    [Fact]
    public void PB4_control_the_memorization_span_where_the_norm_rises_refutes_where_the_grokking_span_confirms()
    {
        // PB-like shape: the effective gradient norm climbs from 10 to 100 while the model memorizes (epochs 0..150),
        // then decays towards 1 by point 2 at 2400, with a spike every 400 epochs.
        double[] epochs = [.. Enumerable.Range(0, 2401).Select(t => (double)t)];
        double[] norm = [.. epochs.Select(t => t <= 150 ? 10 + (0.6 * t) + (3 * Math.Sin(t)) : (t % 400 == 0 ? 500 : 100 * Math.Exp(-(t - 150) / 500)))];
        var seeds = Enumerable.Range(0, 3).Select(k => epochs.Select((t, i) => norm[i] * (1 + (0.01 * k))).ToArray()).ToList();

        var grokking = seeds.Select(v => PeriodicEvents.Trend(epochs, v, 150, 2400)).ToList();
        var memorization = seeds.Select(v => PeriodicEvents.Trend(epochs, v, 0, 150)).ToList();
        IReadOnlyList<Comparison> Compare(List<TrendResult> trends) => EffectiveGradientTrend.Compare(ClaimScope.Typical,
            [.. trends.Select(t => t.Rho)], [.. trends.Select(t => t.LastFifthMedian / t.FirstFifthMedian)], MaxRho);

        Thresholds.Combine(Compare(grokking)).Verdict.Should().Be(Verdict.Confirmed);
        Thresholds.Combine(Compare(memorization)).Verdict.Should().Be(Verdict.Refuted);
    }

    // ---------------------------------------------------------------- PB-5: ScaleInvariance (universal)

    private static readonly ScaleInvariance.Parameters Pb5 = new(MaxLayerNormChange: 0.01, MinControlChange: 0.1);

    private static readonly double Float32 = Math.Pow(2, -23);

    private static List<(long, double[])> Changes(params double[] worstSeed) =>
        [(0, [1e-4, 1e-4, 1e-4]), (1, [2e-4, 1e-4, 1e-4]), (2, worstSeed)];

    [Fact]
    public void PB5_a_layernorm_change_past_the_bound_by_less_than_the_float_precision_does_not_refute()
    {
        var within = ScaleInvariance.Compare(ClaimScope.Universal, 1, false, Changes(0.01 + (0.5 * Float32), 1e-4, 1e-4), Pb5, Float32).First();

        within.Verdict.Should().Be(Verdict.Inconclusive);
        within.Reason.Should().Contain("only within the resolution");
    }

    [Fact]
    public void PB5_a_layernorm_change_past_the_bound_by_more_than_the_float_precision_refutes()
    {
        var past = ScaleInvariance.Compare(ClaimScope.Universal, 1, false, Changes(0.01 + (3 * Float32), 1e-4, 1e-4), Pb5, Float32).ToList();

        past[0].Verdict.Should().Be(Verdict.Refuted);
        past[1].Verdict.Should().Be(Verdict.Confirmed);
        past[0].Key.Should().Be("layerNorm1C0.5");
    }

    [Fact]
    public void PB5_a_no_norm_seed_that_barely_moves_refutes()
    {
        var control = ScaleInvariance.Compare(ClaimScope.Universal, 1, true, [(0, [0.8, 8, 5000]), (1, [0.8, 8, 5000]), (2, [0.05, 8, 5000])], Pb5, Float32)
            .ToList();

        control[0].Verdict.Should().Be(Verdict.Refuted);
        control[0].Key.Should().Be("control1C0.5");
    }

    [Fact]
    public void PB5_fresh_models_confirm_and_scaling_the_other_parameters_is_the_control_that_refutes()
    {
        var members = Enumerable.Range(0, 3).Select(k => new MemberSpec(k, k, 0.1, 0.001, 1)).ToList();
        using var layerNorm = new SyntheticRun(members, EngineFixtures.Small("Model:Kind=transformer", "Model:Norm=layernorm"));
        using var noNorm = new SyntheticRun(members, EngineFixtures.Small("Model:Kind=transformer", "Model:Norm=none"));
        var context = layerNorm.Context("PB-5") with
        {
            Companions = new Dictionary<string, ClaimContext> { ["pb-no-norm"] = noNorm.Context("PB-5") with { Experiment = "pb-no-norm" } },
        };
        context.Claim.Scope = new ScopeDeclaration { Kind = "universal", Reason = "test" };
        var analysis = new ScaleInvariance();

        var result = analysis.Analyze(context, Pb5);
        var control = analysis.AnalyzeControl(context, Pb5);

        result.Verdict.Should().Be(Verdict.Confirmed, result.Reason);
        result.Comparisons.Should().HaveCount(6).And.AllSatisfy(c => c.Scope.Should().Be(ClaimScope.Universal));
        control.Verdict.Should().Be(Verdict.Refuted, control.Reason);
        control.Comparisons.Where(c => c.Key.StartsWith("layerNorm", StringComparison.Ordinal))
            .Should().AllSatisfy(c => c.Verdict.Should().Be(Verdict.Refuted));
    }
}
