using Grokking.Configuration;
using Grokking.Training;
using TorchSharp;

namespace Grokking.Tests.Unit.Engine;

public class PopulationTrainerTests
{
    // Batched (bmm over members) and lone float32 runs sum in different orders; after 240 SGD steps the
    // trajectories may drift by rounding only. 2e-4 absolute on losses and accuracies is ~1000x float32 epsilon
    // times the loss scale, far below any effect a claim measures (and a wrong member mapping gives O(1) errors).
    private const double PopulationTolerance = 2e-4;

    [Fact]
    public void A_population_gives_the_same_metrics_as_separate_runs()
    {
        var o = EngineFixtures.Small("Population:Seeds=5,6", "Population:WeightDecays=0,0.01", "Train:Steps=240", "Optimizer:Name=adamw", "Optimizer:LearningRate=0.003");
        var members = PopulationSetup.Members(o);
        members.Should().HaveCount(4);
        var together = new PopulationTrainer(o, members, torch.CPU).Run();

        foreach (var member in members)
        {
            var alone = EngineFixtures.Small($"Population:Seeds={member.Seed}", $"Optimizer:WeightDecay={member.WeightDecay}", "Train:Steps=240", "Optimizer:Name=adamw", "Optimizer:LearningRate=0.003");
            var single = new PopulationTrainer(alone, PopulationSetup.Members(alone), torch.CPU).Run();
            var a = together.MetricsOf(member.Index).ToList();
            var b = single.MetricsOf(0).ToList();
            a.Should().HaveCount(b.Count);
            for (int i = 0; i < a.Count; i++)
            {
                a[i].Step.Should().Be(b[i].Step);
                a[i].TrainLoss.Should().BeApproximately(b[i].TrainLoss, PopulationTolerance);
                a[i].ValLoss.Should().BeApproximately(b[i].ValLoss, PopulationTolerance);
                a[i].TrainAccuracy.Should().BeApproximately(b[i].TrainAccuracy, PopulationTolerance);
                a[i].ValAccuracy.Should().BeApproximately(b[i].ValAccuracy, PopulationTolerance);
                a[i].WeightNorm.Should().BeApproximately(b[i].WeightNorm, PopulationTolerance * b[i].WeightNorm);
            }

            together.StepLosses[member.Index].Should().HaveCount(240);
        }
    }

    [Fact]
    public void A_train_fraction_sweep_in_one_population_gives_the_same_metrics_as_separate_runs()
    {
        string[] common = ["Train:BatchSize=0", "Train:Steps=120", "Optimizer:Name=adamw", "Optimizer:LearningRate=0.003"];
        var o = EngineFixtures.Small([.. common, "Population:Seeds=5", "Population:TrainFractions=0.3,0.6"]);
        var members = PopulationSetup.Members(o);
        members.Select(m => m.TrainFraction).Should().Equal(0.3, 0.6);
        var together = new PopulationTrainer(o, members, torch.CPU).Run();

        foreach (var member in members)
        {
            var alone = EngineFixtures.Small([.. common, "Population:Seeds=5", $"Data:TrainFraction={member.TrainFraction}"]);
            var single = new PopulationTrainer(alone, PopulationSetup.Members(alone), torch.CPU).Run();
            var a = together.MetricsOf(member.Index).ToList();
            var b = single.MetricsOf(0).ToList();
            a.Should().HaveCount(b.Count);
            for (int i = 0; i < a.Count; i++)
            {
                // Masked sums add the same terms in another order: relative float32 rounding on losses that grow to ~30.
                a[i].TrainLoss.Should().BeApproximately(b[i].TrainLoss, PopulationTolerance * Math.Max(1, b[i].TrainLoss));
                a[i].ValLoss.Should().BeApproximately(b[i].ValLoss, PopulationTolerance * Math.Max(1, b[i].ValLoss));
                a[i].TrainAccuracy.Should().BeApproximately(b[i].TrainAccuracy, PopulationTolerance);
                a[i].ValAccuracy.Should().BeApproximately(b[i].ValAccuracy, PopulationTolerance);
                a[i].WeightNorm.Should().BeApproximately(b[i].WeightNorm, PopulationTolerance * b[i].WeightNorm);
            }
        }
    }

    [Fact]
    public void A_train_fraction_sweep_needs_full_batch_and_fractions_inside_zero_one()
    {
        var minibatch = () => PopulationSetup.Validate(EngineFixtures.Small("Population:TrainFractions=0.3,0.6", "Train:BatchSize=64"));
        minibatch.Should().Throw<OptionsException>().Which.Key.Should().Be("Train:BatchSize");

        var outside = () => EngineFixtures.Small("Population:TrainFractions=0.3,1.2");
        outside.Should().Throw<OptionsException>().WithMessage("*TrainFractions*");
    }

    [Fact]
    public void The_model_learns_the_training_set()
    {
        var o = EngineFixtures.Small("Train:Steps=600", "Optimizer:Name=adamw", "Optimizer:LearningRate=0.003", "Train:MetricsEvery=100");
        var result = new PopulationTrainer(o, PopulationSetup.Members(o), torch.CPU).Run();

        var first = result.Metrics.First();
        var last = result.Metrics.Last();
        last.TrainLoss.Should().BeLessThan(first.TrainLoss / 2);
        last.TrainAccuracy.Should().BeGreaterThan(0.5);
    }

    [Fact]
    public void Float64_precision_trains_in_float64_and_agrees_with_float32_to_float32_rounding()
    {
        string[] setup = ["Data:Kind=teacherstudent", "Model:Kind=mlp", "Model:Hidden=16,16", "Model:Activation=tanh", "Data:TrainSamples=20", "Data:TestSamples=10",
            "Train:BatchSize=0", "Train:Steps=50", "Train:MetricsEvery=10", "Optimizer:Name=adamw", "Optimizer:LearningRate=0.001"];
        var o64 = EngineFixtures.Small([.. setup, "Model:Precision=float64"]);
        var o32 = EngineFixtures.Small(setup);

        var r64 = new PopulationTrainer(o64, PopulationSetup.Members(o64), torch.CPU).Run();
        var r32 = new PopulationTrainer(o32, PopulationSetup.Members(o32), torch.CPU).Run();

        // Same seeds and data draws: the runs differ only by rounding, so the losses agree closely but not exactly.
        var loss64 = r64.Metrics.Select(m => m.TrainLoss).ToArray();
        var loss32 = r32.Metrics.Select(m => m.TrainLoss).ToArray();
        loss64.Zip(loss32).Should().OnlyContain(p => Math.Abs(p.First - p.Second) <= 1e-4 * Math.Max(1, Math.Abs(p.First)));
        loss64.Should().NotEqual(loss32);
        o64.Model.DType.Should().Be(torch.ScalarType.Float64);
        Grokking.Claims.RunCache.KeyOf(o64).Should().NotBe(Grokking.Claims.RunCache.KeyOf(o32));
    }

    [Fact]
    public void A_killed_run_resumes_from_its_checkpoint_with_the_same_results()
    {
        string unbroken = EngineFixtures.TempDirectory();
        string broken = EngineFixtures.TempDirectory();
        var o = EngineFixtures.Small("Population:Seeds=1,2", "Train:Steps=200", "Train:CheckpointEvery=60");
        var reference = new PopulationTrainer(o, PopulationSetup.Members(o), torch.CPU).Run(unbroken);

        // Interrupt after the first checkpoint, as Ctrl-C does; then run again in the same directory.
        using var cancel = new CancellationTokenSource();
        var progress = new Progress(p =>
        {
            if (p.Step >= 80)
            {
                cancel.Cancel();
            }
        });
        var first = new PopulationTrainer(o, PopulationSetup.Members(o), torch.CPU).Run(broken, progress, cancel.Token);
        first.Interrupted.Should().BeTrue();
        first.StepsCompleted.Should().BeLessThan(200);
        var resumed = new PopulationTrainer(o, PopulationSetup.Members(o), torch.CPU).Run(broken);

        resumed.StepsCompleted.Should().Be(200);
        first.ResumedFrom.Should().Be(0);
        resumed.ResumedFrom.Should().Be(first.StepsCompleted, "an interrupted run checkpoints where it stopped");
        resumed.Metrics.Select(m => (m.Step, m.Member)).Should().Equal(reference.Metrics.Select(m => (m.Step, m.Member)));
        for (int i = 0; i < reference.Metrics.Count; i++)
        {
            resumed.Metrics[i].TrainLoss.Should().BeApproximately(reference.Metrics[i].TrainLoss, 1e-6);
            resumed.Metrics[i].ValAccuracy.Should().BeApproximately(reference.Metrics[i].ValAccuracy, 1e-9);
        }

        resumed.StepLosses[1].Should().Equal(reference.StepLosses[1], (a, b) => Math.Abs(a - b) < 1e-6);
        File.Exists(Path.Combine(broken, "metrics.csv")).Should().BeTrue();
        Directory.Delete(unbroken, true);
        Directory.Delete(broken, true);
    }

    [Fact]
    public void Step_traces_hold_the_output_norm_and_the_step_cosine_of_every_step_and_are_read_back()
    {
        string dir = EngineFixtures.TempDirectory();
        var o = EngineFixtures.Small("Population:Seeds=1,2", "Train:Steps=30", "Train:MetricsEvery=1", "Train:StepTraces=true", "Train:WeightsEvery=1", "Train:CheckpointAtEvents=false");
        var result = new PopulationTrainer(o, PopulationSetup.Members(o), torch.CPU).Run(dir);

        result.StepOutputNorms.Should().HaveCount(2);
        result.StepOutputNorms[0].Should().HaveCount(30);
        result.StepCosineDistances[1].Should().HaveCount(30);
        var before = TensorFile.Load(Path.Combine(dir, "checkpoints", "weights-step000000024.bin"), torch.CPU);
        var after = TensorFile.Load(Path.Combine(dir, "checkpoints", "weights-step000000025.bin"), torch.CPU);
        for (int m = 0; m < 2; m++)
        {
            double dot = 0, a = 0, b = 0;
            foreach (var name in before.Keys)
            {
                var x = before[name][m].reshape(-1).to_type(torch.ScalarType.Float64);
                var y = after[name][m].reshape(-1).to_type(torch.ScalarType.Float64);
                dot += x.dot(y).item<double>();
                a += x.dot(x).item<double>();
                b += y.dot(y).item<double>();
            }

            // Step 25 (1-based) goes from the weights saved at 24 to those saved at 25.
            double cosine = dot / Math.Sqrt(a * b);
            result.StepCosineDistances[m][24].Should().BeGreaterThan(0);
            // float64 from float32 weights: the reference 1 - cos carries ~1e-16 of cancellation against ~1e-7.
            ((double)result.StepCosineDistances[m][24]).Should().BeApproximately(1 - cosine, 1e-3 * (1 - cosine) + 1e-14);
            double norm = after["unembed"][m].to_type(torch.ScalarType.Float64).norm().item<double>();
            result.StepOutputNorms[m][24].Should().BeApproximately((float)norm, 1e-5f * (float)norm);
        }

        var reread = new RunDirectory(dir).ReadResult();
        reread.StepCosineDistances[1].Should().Equal(result.StepCosineDistances[1]);
        reread.StepOutputNorms[0].Should().Equal(result.StepOutputNorms[0]);
        foreach (var t in before.Values.Concat(after.Values))
        {
            t.Dispose();
        }

        Directory.Delete(dir, true);
    }

    [Fact]
    public void A_run_without_step_traces_has_none()
    {
        var o = EngineFixtures.Small("Train:Steps=20");
        var result = new PopulationTrainer(o, PopulationSetup.Members(o), torch.CPU).Run();
        result.StepOutputNorms.Should().BeEmpty();
        result.StepCosineDistances.Should().BeEmpty();
    }

    [Fact]
    public void A_diverging_member_is_marked_and_the_others_go_on()
    {
        var o = EngineFixtures.Small("Population:LearningRates=0.05,1e12", "Train:Steps=100");
        var result = new PopulationTrainer(o, PopulationSetup.Members(o), torch.CPU).Run();

        result.Events[1].Diverged.Should().BeTrue();
        result.Events[0].Diverged.Should().BeFalse();
        result.MetricsOf(0).Last().TrainLoss.Should().BeLessThan(double.PositiveInfinity);
        result.StepsCompleted.Should().Be(100);
    }

    [Fact]
    public void A_diverged_member_is_frozen_intact_with_the_weights_from_before_its_bad_step()
    {
        string dir = EngineFixtures.TempDirectory();
        var o = EngineFixtures.Small("Population:Seeds=3", "Population:LearningRates=0.05,1e12", "Train:Steps=100", "Train:MetricsEvery=10", "Optimizer:Name=sgd");
        var result = new PopulationTrainer(o, PopulationSetup.Members(o), torch.CPU).Run(dir);

        var e = result.Events[1];
        e.Diverged.Should().BeTrue();
        long bad = e.DivergedStep;
        bad.Should().BeInRange(1, 100);

        // Its last checkpoint is finite and readable, and equals a lone run stopped just before the bad step.
        var stored = TensorFile.Load(new RunDirectory(dir).WeightsAt(100), torch.CPU);
        var lone = EngineFixtures.Small("Population:Seeds=3", "Population:LearningRates=1e12", $"Train:Steps={bad - 1}", "Train:MetricsEvery=1", "Optimizer:Name=sgd");
        string loneDir = EngineFixtures.TempDirectory();
        new PopulationTrainer(lone, PopulationSetup.Members(lone), torch.CPU).Run(loneDir);
        var reference = TensorFile.Load(new RunDirectory(loneDir).WeightsAt(bad - 1), torch.CPU);
        foreach (var (name, value) in stored)
        {
            var member = value[1];
            member.isfinite().all().item<bool>().Should().BeTrue($"{name} of the frozen member must stay finite");
            torch.allclose(member, reference[name][0], rtol: 1e-5, atol: 1e-6).Should().BeTrue($"{name} must be the weights before step {bad}");
        }

        result.MetricsOf(1).Last().DivergedAtStep.Should().Be(bad);
        Directory.Delete(dir, true);
        Directory.Delete(loneDir, true);
    }

    [Fact]
    public void Events_record_the_first_metric_step_over_the_threshold_and_never_otherwise()
    {
        var o = EngineFixtures.Small("Train:Steps=300", "Optimizer:Name=adamw", "Optimizer:LearningRate=0.003", "Train:TrainAccuracyThreshold=0.3", "Train:ValAccuracyThreshold=1");
        var result = new PopulationTrainer(o, PopulationSetup.Members(o), torch.CPU).Run();

        var e = result.Events[0];
        e.ReachedTrain.Should().BeTrue();
        var firstOver = result.Metrics.First(m => m.TrainAccuracy >= 0.3);
        e.TrainThresholdStep.Should().Be(firstOver.Step);
        e.ValThresholdStep.Should().Be(MemberEvents.Never);
    }

    [Theory]
    [InlineData("Model:Heads=5", "Model:Heads")]
    [InlineData("Train:BatchSize=100000", "Train:BatchSize")]
    [InlineData("Data:Operation=divide|Data:Modulus=22", "Data:Modulus")]
    public void Impossible_setups_fail_validation_naming_the_key(string overrides, string key)
    {
        var act = () =>
        {
            var o = EngineFixtures.Small(overrides.Split('|'));
            _ = new PopulationTrainer(o, PopulationSetup.Members(o), torch.CPU);
        };

        act.Should().Throw<OptionsException>().Where(e => e.Key == key);
    }

    private sealed class Progress(Action<TrainingProgress> report) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => report(value);
    }
}
