using Grokking.Data;
using Grokking.Models;
using Grokking.Training;
using static TorchSharp.torch;

namespace Grokking.Tests.Unit.Reference;

/// <summary>
/// The trainer's metric rows against independent per-member computations from the weights it checkpoints at
/// every step: a one-member float64 model holding member m's weights gives losses and gradients, norms are summed
/// here, and the scale-invariant set comes from the architecture (all parameters without LayerNorm). Full-batch
/// SGD, so the step's minibatch is the whole training set whatever its order. Row s is written after step s:
/// weights theta_s; the step's gradient g_s was taken at theta_(s-1).
/// </summary>
public class TrainerMetricTests
{
    private const int Steps = 3;

    // The trainer runs in float32, the reference in float64.
    private const double Relative = 2e-5;

    private static TrainedPopulation Train(string norm) => ReferenceFixtures.Train(
        Steps, $"Model:Norm={norm}", "Model:Layers=2", "Train:BatchSize=0", "Optimizer:Name=sgd",
        "Population:Seeds=1,2", "Population:WeightDecays=0,0.05", "Population:LearningRates=0.3,1");

    private static Func<string, bool> ScaleInvariant(string norm) =>
        norm == "layernorm" ? ReferenceFixtures.IsScaleInvariantInLayerNormTransformer : _ => true;

    [Theory]
    [InlineData("none")]
    [InlineData("layernorm")]
    public void Losses_accuracies_and_weight_norms_with_and_without_l2_equal_a_per_member_evaluation(string norm)
    {
        using var run = Train(norm);
        run.Members.Select(m => m.WeightDecay).Distinct().Should().HaveCount(2, "members with and without L2");
        using var scope = NewDisposeScope();
        foreach (var member in run.Members)
        {
            using var data = PopulationDataFactory.Create(run.Options.Data, [member.Seed], CPU);
            for (int s = 1; s <= Steps; s++)
            {
                var row = run.Row(s, member.Index);
                string at = $"member {member.Index}, step {s}";
                var theta = ReferenceFixtures.MemberState(run.Weights[s], member.Index);
                var (trainLoss, trainAccuracy) = Evaluate(run, theta, data.TrainX[0], data.TrainY[0]);
                var (valLoss, valAccuracy) = Evaluate(run, theta, data.ValX[0], data.ValY[0]);
                double normSquared = ReferenceFixtures.SumSquares(theta.Values);

                row.TrainLoss.Should().BeApproximately(trainLoss, Relative * trainLoss, at);
                row.ValLoss.Should().BeApproximately(valLoss, Relative * valLoss, at);
                row.TrainAccuracy.Should().BeApproximately(trainAccuracy, 1e-6, at);
                row.ValAccuracy.Should().BeApproximately(valAccuracy, 1e-6, at);
                row.WeightNorm.Should().BeApproximately(Math.Sqrt(normSquared), Relative * Math.Sqrt(normSquared), at);
                // "With L2": the data loss plus (wd / 2) ||theta||^2, the objective SGD's weight decay descends.
                row.TrainLossL2.Should().BeApproximately(trainLoss + (member.WeightDecay / 2 * normSquared), Relative * row.TrainLossL2, at);
                row.ValLossL2.Should().BeApproximately(valLoss + (member.WeightDecay / 2 * normSquared), Relative * row.ValLossL2, at);
            }
        }
    }

    [Theory]
    [InlineData("none")]
    [InlineData("layernorm")]
    public void Effective_learning_rate_is_lr_over_the_squared_norm_of_the_scale_invariant_weights(string norm)
    {
        using var run = Train(norm);
        run.Members.Select(m => m.LearningRate).Distinct().Should().HaveCount(2);
        var invariant = ScaleInvariant(norm);
        using var scope = NewDisposeScope();
        foreach (var member in run.Members)
        {
            for (int s = 1; s <= Steps; s++)
            {
                var row = run.Row(s, member.Index);
                var theta = ReferenceFixtures.MemberState(run.Weights[s], member.Index);
                double invariantSquared = ReferenceFixtures.SumSquares(theta.Where(p => invariant(p.Key)).Select(p => p.Value));
                double expected = member.LearningRate / invariantSquared;

                row.EffectiveLearningRate.Should().BeApproximately(expected, Relative * expected, $"member {member.Index}, step {s}");
            }
        }
    }

    [Theory]
    [InlineData("none")]
    [InlineData("layernorm")]
    public void Gradient_norm_is_the_norm_of_the_steps_data_loss_gradient(string norm)
    {
        using var run = Train(norm);
        using var scope = NewDisposeScope();
        foreach (var member in run.Members)
        {
            using var data = PopulationDataFactory.Create(run.Options.Data, [member.Seed], CPU);
            for (int s = 1; s <= Steps; s++)
            {
                var before = ReferenceFixtures.MemberState(run.Weights[s - 1], member.Index);
                double expected = ReferenceFixtures.MemberGradientNorm(run.Options, before, data.TrainX[0], data.TrainY[0], TaskKind.Classification);

                run.Row(s, member.Index).GradNorm.Should().BeApproximately(expected, Relative * expected, $"member {member.Index}, step {s}");
            }
        }
    }

    /// <summary>
    /// Lobacheva et al.: for scale-invariant weights the gradient with respect to the direction theta/||theta|| has
    /// norm ||g(theta)|| ||theta||, both at the same point; here the point where the step's gradient was taken.
    /// </summary>
    [Theory]
    [InlineData("none")]
    [InlineData("layernorm")]
    public void Effective_gradient_norm_pairs_the_gradient_with_the_weights_it_was_taken_at(string norm)
    {
        using var run = Train(norm);
        var invariant = ScaleInvariant(norm);
        using var scope = NewDisposeScope();
        foreach (var member in run.Members)
        {
            using var data = PopulationDataFactory.Create(run.Options.Data, [member.Seed], CPU);
            for (int s = 1; s <= Steps; s++)
            {
                var before = ReferenceFixtures.MemberState(run.Weights[s - 1], member.Index);
                double gradient = ReferenceFixtures.MemberGradientNorm(run.Options, before, data.TrainX[0], data.TrainY[0], TaskKind.Classification, invariant);
                double weights = Math.Sqrt(ReferenceFixtures.SumSquares(before.Where(p => invariant(p.Key)).Select(p => p.Value)));

                run.Row(s, member.Index).EffectiveGradNorm.Should().BeApproximately(gradient * weights, Relative * gradient * weights, $"member {member.Index}, step {s}");
            }
        }
    }

    private static (double Loss, double Accuracy) Evaluate(TrainedPopulation run, Dictionary<string, Tensor> state, Tensor x, Tensor y)
    {
        using var noGrad = no_grad();
        using var single = PopulationModelFactory.Create(1, run.Options.Model, run.Options.Data, CPU, ScalarType.Float64);
        single.Load(state);
        var output = single.forward(x.unsqueeze(0));
        double loss = LossFunctions.PerExample(output, y.unsqueeze(0), TaskKind.Classification).mean().item<double>();
        double accuracy = output.argmax(-1).eq(y.unsqueeze(0)).to(ScalarType.Float64).mean().item<double>();
        return (loss, accuracy);
    }
}
