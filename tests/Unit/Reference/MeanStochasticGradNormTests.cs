using Grokking.Data;
using Grokking.Training;
using static TorchSharp.torch;

namespace Grokking.Tests.Unit.Reference;

/// <summary>
/// MC's stochastic gradient norm: the mean over the training set's minibatches, in index order (the last one
/// shorter), of each minibatch's data-loss gradient norm; each member's minibatch gradients computed here alone.
/// </summary>
public class MeanStochasticGradNormTests
{
    [Theory]
    [InlineData("Model:Norm=layernorm", 4)] // 10 examples: batches of 4, 4 and 2
    [InlineData("Model:Norm=none", 5)]
    [InlineData("Model:Norm=none", 0)] // full batch: the norm of the full gradient
    [InlineData("Model:Kind=mlp|Data:Kind=teacherstudent", 3)]
    public void Equals_the_mean_of_per_minibatch_gradient_norms_of_each_member(string overrides, int batchSize)
    {
        const int n = 10;
        var o = ReferenceFixtures.Tiny(overrides.Split('|'));
        using var model = ReferenceFixtures.Float64Model(o, [1, 2]);
        using var scope = NewDisposeScope();
        var (x, y, task) = ReferenceFixtures.Batch(o, members: 2, batch: n, seed: 41);
        using var data = new PopulationData(task, x.clone(), y.clone(), x.clone(), y.clone(), PopulationDataFactory.Shape(o.Data).Outputs);

        var computed = MeanStochasticGradNorm.Compute(model, data, batchSize).data<double>().ToArray();

        var weights = model.Snapshot();
        int batch = batchSize == 0 ? n : batchSize;
        for (int k = 0; k < 2; k++)
        {
            var state = ReferenceFixtures.MemberState(weights, k);
            var norms = new List<double>();
            for (int start = 0; start < n; start += batch)
            {
                int size = Math.Min(batch, n - start);
                norms.Add(ReferenceFixtures.MemberGradientNorm(o, state, x[k].narrow(0, start, size), y[k].narrow(0, start, size), task));
            }

            norms.Should().HaveCount((n + batch - 1) / batch);
            computed[k].Should().BeApproximately(norms.Average(), 1e-10 * norms.Average(), $"member {k}");
        }
    }

    [Fact]
    public void The_trainers_metric_row_reports_it_at_the_rows_weights()
    {
        // p = 7 addition: 19 training examples, batches of 7, 7 and 5.
        using var run = ReferenceFixtures.Train(2, "Train:BatchSize=7", "Train:StochasticGradientNorm=true", "Population:Seeds=1,2", "Optimizer:Name=sgd", "Optimizer:LearningRate=0.5");
        run.Members.Should().HaveCount(2);
        using var scope = NewDisposeScope();
        foreach (var member in run.Members)
        {
            using var data = PopulationDataFactory.Create(run.Options.Data, [member.Seed], CPU);
            data.TrainCount.Should().Be(19);
            for (int s = 1; s <= 2; s++)
            {
                var theta = ReferenceFixtures.MemberState(run.Weights[s], member.Index);
                double expected = new[] { (0, 7), (7, 7), (14, 5) }
                    .Average(b => ReferenceFixtures.MemberGradientNorm(run.Options, theta, data.TrainX[0].narrow(0, b.Item1, b.Item2), data.TrainY[0].narrow(0, b.Item1, b.Item2), TaskKind.Classification));

                double? reported = run.Row(s, member.Index).MeanStochasticGradNorm;
                reported.Should().NotBeNull();
                reported!.Value.Should().BeApproximately(expected, 2e-5 * expected, $"member {member.Index}, step {s}");
            }
        }
    }

    [Fact]
    public void With_the_pass_on_the_effective_gradient_norm_is_the_reference_mean_over_minibatches_times_the_invariant_weight_norm()
    {
        // PB's g_eff = ||g_SI|| * ||theta_SI||, with Lobacheva et al.'s ||g_SI||: the mean over all training
        // minibatches of each minibatch's gradient norm over the scale-invariant parameters, at the row's weights.
        using var run = ReferenceFixtures.Train(2, "Model:Norm=layernorm", "Train:BatchSize=7", "Train:StochasticGradientNorm=true", "Population:Seeds=1,2", "Optimizer:Name=sgd", "Optimizer:LearningRate=0.5", "Optimizer:WeightDecay=0.01");
        using var scope = NewDisposeScope();
        foreach (var member in run.Members)
        {
            using var data = PopulationDataFactory.Create(run.Options.Data, [member.Seed], CPU);
            for (int s = 1; s <= 2; s++)
            {
                var theta = ReferenceFixtures.MemberState(run.Weights[s], member.Index);
                double meanNorm = new[] { (0, 7), (7, 7), (14, 5) }
                    .Average(b => ReferenceFixtures.MemberGradientNorm(run.Options, theta, data.TrainX[0].narrow(0, b.Item1, b.Item2), data.TrainY[0].narrow(0, b.Item1, b.Item2), TaskKind.Classification, ReferenceFixtures.IsScaleInvariantInLayerNormTransformer));
                double invariantNorm = Math.Sqrt(ReferenceFixtures.SumSquares(theta.Where(p => ReferenceFixtures.IsScaleInvariantInLayerNormTransformer(p.Key)).Select(p => p.Value)));
                var row = run.Row(s, member.Index);
                row.EffectiveGradNorm.Should().BeApproximately(meanNorm * invariantNorm, 2e-5 * meanNorm * invariantNorm, $"member {member.Index}, step {s}");
                row.EffectiveLearningRate.Should().BeApproximately(0.5 / (invariantNorm * invariantNorm), 1e-5 * 0.5 / (invariantNorm * invariantNorm));
            }
        }
    }
}
