using Grokking.Claims.Analyses;
using Grokking.Claims.Contracts;
using Grokking.Configuration;
using Grokking.Data;
using Grokking.Landscape;
using Grokking.Tests.Unit.Engine;
using Grokking.Tests.Unit.Landscape;
using Grokking.Training;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace Grokking.Tests.Unit.Claims;

/// <summary>
/// PG-6's analysis (<see cref="HessianCondition"/>): the train-loss Hessian it measures against a model whose Hessian
/// is known in closed form, members of a fraction sweep reading only their own rows (in whatever chunks the products
/// are summed over), the per-seed decision on
/// synthetic measurements, and the whole analysis on hand-written snapshots (snapshot choice, the cache).
/// </summary>
public sealed class HessianConditionTests(ITestOutputHelper output)
{
    private const double LossLevel = 0.01;

    private static readonly long[] Seeds = [0, 1, 2];

    [Fact]
    public void The_measured_extremes_of_a_linear_regression_are_those_of_its_closed_form_hessian()
    {
        var options = SyntheticRun.LinearRegression(trainSamples: 6);
        long[] seeds = [3, 4];
        var state = Weights(options, seeds, initSeed: 10);
        // Four rows per chunk of the products (two per member): three chunks of the six rows must add up to the whole.
        var measured = TrainLossHessian.Measure(options.Model, options.Data, [.. seeds.Select(s => (s, double.NaN))], state, CPU, iterations: 30, rowsPerChunk: 4);
        SyntheticRun.Dispose(state);

        using var data = PopulationDataFactory.Create(options.Data, seeds, CPU, ScalarType.Float64);
        int n = options.Data.TrainSamples;
        int outputs = options.Data.TeacherOutputs;
        for (int k = 0; k < seeds.Length; k++)
        {
            var x = data.TrainX[k].data<double>().ToArray();
            int d = options.Data.TeacherInputs + 1;
            var block = new double[d, d];
            for (int i = 0; i < d; i++)
            {
                for (int j = 0; j < d; j++)
                {
                    double sum = 0;
                    for (int r = 0; r < n; r++)
                    {
                        double xi = i < d - 1 ? x[(r * (d - 1)) + i] : 1;
                        double xj = j < d - 1 ? x[(r * (d - 1)) + j] : 1;
                        sum += xi * xj;
                    }

                    block[i, j] = 2 * sum / (n * outputs);
                }
            }

            var spectrum = DenseSymmetricEigen.Eigenvalues(block); // each eigenvalue O times in the full Hessian
            double lambdaMax = spectrum[^1];
            double paper = spectrum.MaxBy(l => Math.Abs(l - (0.51 * lambdaMax)));
            var e = measured[k].Extremes;
            var m = new HessianMeasurement(k, 0, measured[k].TrainLoss, e);
            output.WriteLine($"seed {seeds[k]}: λ = {string.Join(", ", spectrum.Select(l => l.ToString("G5", System.Globalization.CultureInfo.InvariantCulture)))}; measured λmax {e.LambdaMax:R}, λmin {e.LambdaMin:R}, shifted {e.LambdaMinShifted:R}, κ {m.Kappa:G6}, restarts {e.Restarts}");
            e.LambdaMax.Should().BeApproximately(lambdaMax, 1e-9 * lambdaMax);
            e.LambdaMin.Should().BeApproximately(spectrum[0], 1e-9 * lambdaMax);
            e.LambdaMinShifted.Should().BeApproximately(paper, 1e-9 * lambdaMax);
            m.Kappa.Should().BeApproximately(lambdaMax / Math.Abs(paper), 1e-8 * lambdaMax / Math.Abs(paper));
        }

        // Both regimes of the paper's estimate occur in these two spectra: seed 3's λmin is above 0.02·λmax, so the
        // shifted estimate returns λmax (κ = 1); seed 4's is below, and the estimate is λmin.
        measured[0].Extremes.LambdaMinShifted.Should().BeApproximately(measured[0].Extremes.LambdaMax, 1e-9);
        measured[1].Extremes.LambdaMinShifted.Should().BeApproximately(measured[1].Extremes.LambdaMin, 1e-9);
    }

    [Fact]
    public void Members_of_a_fraction_sweep_each_read_only_their_own_training_rows_in_any_chunks()
    {
        // A 2-layer transformer on (a + b) mod 11 at fractions 0.3 and 0.8 together (the 0.3 member's rows padded to the
        // 0.8 member's count) in one chunk, against each alone in chunks of 60 rows: the same train loss and extremes.
        var options = EngineFixtures.Small("Data:Modulus=11", "Model:Layers=2", "Model:DModel=8", "Model:DMlp=16", "Model:Heads=2", "Model:Precision=float64");
        (long Seed, double Fraction)[] members = [(0, 0.3), (0, 0.8)];
        var together = Measure(options, members);
        for (int k = 0; k < members.Length; k++)
        {
            var alone = Measure(options, [members[k]], rowsPerChunk: 60)[0];
            output.WriteLine($"r {members[k].Fraction}: loss {together[k].TrainLoss:R} / {alone.TrainLoss:R}, λmax {together[k].Extremes.LambdaMax:R} / {alone.Extremes.LambdaMax:R}");
            together[k].TrainLoss.Should().BeApproximately(alone.TrainLoss, 1e-12);
            together[k].Extremes.LambdaMax.Should().BeApproximately(alone.Extremes.LambdaMax, 1e-8 * Math.Abs(alone.Extremes.LambdaMax));
            together[k].Extremes.LambdaMinShifted.Should().BeApproximately(alone.Extremes.LambdaMinShifted, 1e-8 * Math.Abs(alone.Extremes.LambdaMax));
        }

        together[0].TrainLoss.Should().NotBe(together[1].TrainLoss, "the two fractions are different training sets");

        static IReadOnlyList<(double TrainLoss, HessianExtremes Extremes)> Measure(GrokkingOptions options, (long Seed, double Fraction)[] members, int rowsPerChunk = TrainLossHessian.RowsPerChunk)
        {
            var state = Weights(options, [.. members.Select(_ => 5L)], initSeed: 5);
            try
            {
                return TrainLossHessian.Measure(options.Model, options.Data, members, state, CPU, iterations: 6, rowsPerChunk);
            }
            finally
            {
                SyntheticRun.Dispose(state);
            }
        }
    }

    // ---------------------------------------------------------------- the per-seed decision

    private static ConditionAtLoss Side(string role, double fraction, double lambdaMax, double lambdaMin, double valAccuracy, long step = 100, long diverged = MemberEvents.Never)
    {
        var member = new MemberSpec(role == "grokking" ? 0 : 1, 7, 1e-3, 1, 1, fraction);
        var row = new MetricRow(step, step, member.Index, 0.009, 0.009, 1, 1, 1, valAccuracy, 10, 1e-3, 1, 1, null);
        var extremes = new HessianExtremes(member.Index, lambdaMax, lambdaMin, lambdaMin, 0.51 * lambdaMax, 40, 0);
        return new ConditionAtLoss(role, member, new MemberEvents(member.Index, -1, -1, diverged), row, new HessianMeasurement(member.Index, step, 0.009, extremes));
    }

    [Fact]
    public void A_larger_condition_number_for_the_grokking_run_holds()
    {
        var finding = HessianCondition.Judge(7, Side("grokking", 0.3, 10, 0.01, 0.05), Side("fast", 0.8, 10, 0.1, 0.97), LossLevel, 1000);

        finding.Verdict.Should().Be(Verdict.Confirmed, finding.Reason);
        finding.Reason.Should().Contain("κ_grok 1E+03 > κ_fast 100").And.NotContain("not as meant");
    }

    [Fact]
    public void An_equal_or_smaller_condition_number_refutes()
    {
        HessianCondition.Judge(7, Side("grokking", 0.3, 10, 0.1, 0.05), Side("fast", 0.8, 10, 0.1, 0.97), LossLevel, 1000).Verdict.Should().Be(Verdict.Refuted);
        var finding = HessianCondition.Judge(7, Side("grokking", 0.3, 5, 0.1, 0.05), Side("fast", 0.8, 10, 0.1, 0.97), LossLevel, 1000);
        finding.Verdict.Should().Be(Verdict.Refuted);
        finding.Reason.Should().Contain("κ_grok 50 <= κ_fast 100");
    }

    [Fact]
    public void A_negative_lambda_min_counts_by_its_magnitude_and_is_reported_signed()
    {
        // κ_grok = 10 / |−2| = 5 > κ_fast = 10 / 2.5 = 4; the signed ratios (−5 < 4) would say the opposite.
        var finding = HessianCondition.Judge(7, Side("grokking", 0.3, 10, -2, 0.05), Side("fast", 0.8, 10, 2.5, 0.97), LossLevel, 1000);

        finding.Verdict.Should().Be(Verdict.Confirmed, finding.Reason);
        finding.Reason.Should().Contain("κ 5 = λmax 10 / |λmin -2|");
    }

    [Fact]
    public void Runs_that_are_not_what_they_stand_for_are_flagged()
    {
        var finding = HessianCondition.Judge(7, Side("grokking", 0.3, 10, 0.01, 0.95), Side("fast", 0.8, 10, 0.1, 0.6), LossLevel, 1000);

        finding.Reason.Should().Contain("not as meant: the grokking run's validation accuracy at its snapshot (95.0 %) is not below the fast run's (60.0 %)");
    }

    [Fact]
    public void A_run_without_a_snapshot_at_the_loss_level_or_a_zero_lambda_min_cannot_decide()
    {
        var missing = Side("grokking", 0.3, 10, 0.01, 0.05) with { Row = null, Measurement = null };
        var diverged = Side("fast", 0.8, 10, 0.1, 0.97, diverged: 300) with { Row = null, Measurement = null };

        var finding = HessianCondition.Judge(7, missing, Side("fast", 0.8, 10, 0.1, 0.97), LossLevel, 1000);
        finding.Verdict.Should().Be(Verdict.Inconclusive);
        finding.Reason.Should().Be("the grokking run (r 0.3) has no snapshot with train loss <= 0.01 within 1000 steps");
        finding.Diverged.Should().BeFalse();

        var both = HessianCondition.Judge(7, missing, diverged, LossLevel, 1000);
        both.Reason.Should().Contain("the fast run (r 0.8) diverged at step 300 before a snapshot with train loss <= 0.01");
        both.Diverged.Should().BeTrue();

        HessianCondition.Judge(7, Side("grokking", 0.3, 10, 0, 0.05), Side("fast", 0.8, 10, 0.1, 0.97), LossLevel, 1000).Verdict.Should().Be(Verdict.Inconclusive);
    }

    // ---------------------------------------------------------------- the whole analysis on snapshots

    /// <summary>
    /// Three seeds x fractions 0.3 (grokking) and 0.8 (fast) of the linear model, snapshots at steps 10, 20, 30. The
    /// fast run reaches the loss level at step 10, the grokking run at step 30; there its weights are the fast run's at
    /// step 10, so both Hessians are the same matrix and κ_grok = κ_fast.
    /// </summary>
    private static SyntheticRun EqualHessians(double[] grokLosses)
    {
        var options = SyntheticRun.LinearRegression(trainSamples: 6);
        var run = new SyntheticRun(SyntheticRun.Sweep(Seeds, [0.3, 0.8]), options);
        var seeds = run.Members.Select(m => m.Seed).ToArray();
        var early = Weights(options, seeds, initSeed: 1);
        var later = Weights(options, seeds, initSeed: 2);
        var grok = run.Members.Where(m => m.TrainFraction == 0.3).Select(m => m.Index).ToHashSet();
        // At step 30 every grokking member holds the weights its seed's fast member had at step 10.
        var swapped = early.ToDictionary(p => p.Key, p => p.Value.clone());
        foreach (var m in run.Members.Where(m => grok.Contains(m.Index)))
        {
            swapped.Values.Zip(early.Values).ToList().ForEach(pair => pair.First[m.Index].copy_(pair.Second[m.Index + 1]));
        }

        run.Save(10, early);
        run.Save(20, later);
        run.Save(30, swapped);
        foreach (var m in run.Members)
        {
            for (int i = 0; i < 3; i++)
            {
                long step = 10 * (i + 1);
                run.Row(m.Index, step, grok.Contains(m.Index) ? grokLosses[i] : 0.005, 1, grok.Contains(m.Index) ? 0.1 : 0.98);
            }
        }

        SyntheticRun.Dispose(early);
        SyntheticRun.Dispose(later);
        SyntheticRun.Dispose(swapped);
        return run;
    }

    private static (string, double)[] Tolerances(double lossLevel = LossLevel) =>
        [("lossLevel", lossLevel), ("lanczosIterations", 30)];

    [Fact]
    public void Runs_compared_at_the_loss_level_with_the_same_hessian_refute_and_a_second_analysis_reads_the_cache()
    {
        using var run = EqualHessians([0.5, 0.2, 0.005]);

        var result = new HessianCondition().Analyze(run.Context("PG-6", Tolerances()));

        result.Verdict.Should().Be(Verdict.Refuted, result.Reason);
        result.Reason.Should().Contain("<= κ_fast").And.Contain("grokking r 0.3 at step 30").And.Contain("fast r 0.8 at step 10");
        Value(result, "step-grok").Should().Be(30);
        Value(result, "step-fast").Should().Be(10);
        Value(result, "trainLoss-grok").Should().Be(0.005);
        Value(result, "valAccuracy-fast").Should().Be(0.98);
        result.Measured.Single(m => m.Key == "kappa-grok").PerSeed.Should().Equal(result.Measured.Single(m => m.Key == "kappa-fast").PerSeed);
        result.Figures.Should().ContainSingle();

        result.Comparisons.Single().Key.Should().Be("kappaRatio");
        result.Comparisons.Single().PerSeed.Should().OnlyContain(r => r == 1, "equal Hessians: κ_grok / κ_fast is 1, not larger");

        run.CorruptSnapshots();
        var again = new HessianCondition().Analyze(run.Context("PG-6", Tolerances()));
        again.Measured.Single(m => m.Key == "kappa-grok").PerSeed.Should().Equal(result.Measured.Single(m => m.Key == "kappa-grok").PerSeed);
        // The control reads the same cached Hessians with the roles swapped: equal is not larger either way.
        var control = new HessianCondition().AnalyzeControl(run.Context("PG-6", Tolerances()));
        control.Verdict.Should().Be(Verdict.Refuted, control.Reason);
        control.Reason.Should().StartWith("roles swapped (control)");
    }

    [Fact]
    public void A_grokking_run_that_never_reaches_the_loss_level_leaves_every_seed_undecided()
    {
        using var run = EqualHessians([0.5, 0.2, 0.05]);

        var result = new HessianCondition().Analyze(run.Context("PG-6", Tolerances()));

        result.Verdict.Should().Be(Verdict.Inconclusive);
        result.Reason.Should().Contain("seed 0: the grokking run (r 0.3) has no snapshot with train loss <= 0.01 within 30 steps");
        double.IsNaN(Value(result, "kappa-grok")).Should().BeTrue();
        Value(result, "kappa-fast").Should().BePositive("the fast runs are measured all the same");

        // κ at the fit is reported whatever the rule decides: every member fits (100% train accuracy) at step 10.
        Value(result, "stepAtFit-grok").Should().Be(10);
        Value(result, "stepAtFit-fast").Should().Be(10);
        Value(result, "trainLossAtFit-grok").Should().Be(0.5);
        Value(result, "kappaAtFit-grok").Should().BePositive();
        result.Measured.Single(m => m.Key == "kappaAtFit-grok").Tolerance.Should().BeNull("the fit is reported, not judged");
        result.Reason.Should().Contain("At the fit (first snapshot with >= 100 % train accuracy; reported, not judged): seed 0: grokking r 0.3 at step 10");
        result.Figures.Should().ContainSingle();
    }

    [Fact]
    public void The_fit_is_the_first_saved_snapshot_at_the_train_accuracy_level_before_divergence()
    {
        using var run = new SyntheticRun(SyntheticRun.Sweep([0], [0.3]), SyntheticRun.LinearRegression(trainSamples: 6));
        run.Row(0, 10, 0.5, 0.8, 0.1);
        run.Row(0, 20, 0.4, 0.99, 0.1);
        run.Row(0, 30, 0.3, 1, 0.1);
        var result = run.Result();

        HessianCondition.AtFit(result, [10, 30], 0, 0.99)!.Step.Should().Be(30, "step 20 fits but has no weight file");
        HessianCondition.AtFit(result, [10, 20, 30], 0, 0.99)!.Step.Should().Be(20);
        HessianCondition.AtFit(result, [10, 20, 30], 0, 1.01).Should().BeNull();
        HessianCondition.AtLossLevel(result, [10, 20, 30], 0, 0.35)!.Step.Should().Be(30);
    }

    private static double Value(AnalysisResult result, string key) => result.Measured.Single(m => m.Key == key).Value;

    /// <summary>Freshly initialized weights, member k from seeds[k] mixed with <paramref name="initSeed"/>.</summary>
    private static Dictionary<string, Tensor> Weights(GrokkingOptions options, long[] seeds, long initSeed) =>
        SyntheticRun.Initialized(options, [.. seeds.Select(s => (1000 * initSeed) + s)]);
}
