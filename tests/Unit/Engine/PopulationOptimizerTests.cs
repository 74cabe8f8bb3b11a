using Grokking.Configuration;
using Grokking.Models;
using Grokking.Optim;
using TorchSharp;
using static TorchSharp.torch;

namespace Grokking.Tests.Unit.Engine;

public class PopulationOptimizerTests
{
    /// <summary>A 1-weight, 1-bias linear model per member, weights set by hand, gradient of sum(2 * p) = 2.</summary>
    private static (PopulationMlp Model, PopulationOptimizer Optimizer) Setup(OptimizerKind kind, int warmup = 0, double clip = 0)
    {
        var o = EngineFixtures.Small(
            "Model:Kind=mlp", "Data:Kind=teacherstudent", "Model:Hidden=[]", $"Optimizer:Name={kind}", "Optimizer:Beta1=0.9", "Optimizer:Beta2=0.999",
            "Optimizer:Eps=1e-8", $"Optimizer:WarmupSteps={warmup}", $"Optimizer:ClipGradNorm={clip.ToString(System.Globalization.CultureInfo.InvariantCulture)}");
        var model = new PopulationMlp(2, o.Model, 1, 1);
        model.Load(new Dictionary<string, Tensor>
        {
            ["layers.0.weight"] = tensor(new float[] { 1f, -2f }).view(2, 1, 1),
            ["layers.0.bias"] = tensor(new float[] { 0.5f, 3f }).view(2, 1),
        });
        var optimizer = new PopulationOptimizer(model, o.Optimizer, learningRates: [0.1, 0.2], weightDecays: [0.5, 0.0]);
        optimizer.ZeroGrad();
        foreach (var p in model.Parameters)
        {
            p.Value.mul(2).sum().backward();
        }

        return (model, optimizer);
    }

    private static float[] Weights(PopulationMlp model) =>
        [.. model.Parameters[0].Value.detach().reshape(-1).data<float>().ToArray(), .. model.Parameters[1].Value.detach().reshape(-1).data<float>().ToArray()];

    [Fact]
    public void Sgd_adds_l2_to_the_gradient_per_member()
    {
        var (model, optimizer) = Setup(OptimizerKind.Sgd);
        optimizer.Step(0);

        // p' = p - lr (g + wd p); member 0: lr 0.1, wd 0.5; member 1: lr 0.2, wd 0.
        Weights(model).Should().Equal(new[] { 1 - (0.1f * (2 + 0.5f)), -2 - (0.2f * 2), 0.5f - (0.1f * (2 + 0.25f)), 3 - (0.2f * 2) }, (a, b) => Math.Abs(a - b) < 1e-6);
    }

    [Fact]
    public void Clipping_scales_each_members_gradient_to_the_norm_by_its_own_norm()
    {
        // Every gradient entry is 2, so each member's norm is 2 sqrt(2); clipped at 1 each entry becomes 1/sqrt(2) (less
        // PyTorch's 1e-6 guard), whatever the other member's norm.
        var (model, optimizer) = Setup(OptimizerKind.Sgd, clip: 1);
        using var gradSquare = model.SquaredGradNorm();
        optimizer.Step(0, gradSquare: gradSquare);

        double g = 2 / ((2 * Math.Sqrt(2)) + 1e-6);
        Weights(model).Should().Equal(
            new[] { 1 - (0.1f * (g + 0.5f)), -2 - (0.2f * g), 0.5f - (0.1f * (g + 0.25f)), 3 - (0.2f * g) }.Select(v => (float)v),
            (a, b) => Math.Abs(a - b) < 1e-6);
    }

    [Fact]
    public void A_gradient_under_the_clip_norm_is_left_alone_and_clipping_without_norms_is_refused()
    {
        var (model, optimizer) = Setup(OptimizerKind.Sgd, clip: 10);
        var act = () => optimizer.Step(0);
        act.Should().Throw<ArgumentNullException>().WithMessage("*ClipGradNorm*");

        using var gradSquare = model.SquaredGradNorm();
        optimizer.Step(0, gradSquare: gradSquare);
        Weights(model).Should().Equal(new[] { 1 - (0.1f * (2 + 0.5f)), -2 - (0.2f * 2), 0.5f - (0.1f * (2 + 0.25f)), 3 - (0.2f * 2) }, (a, b) => Math.Abs(a - b) < 1e-6);
    }

    [Fact]
    public void Adam_first_step_moves_each_weight_by_lr_in_the_direction_of_its_gradient_with_l2()
    {
        var (model, optimizer) = Setup(OptimizerKind.Adam);
        optimizer.Step(0);

        // After bias correction the first Adam step is lr * g / (|g| + eps), g including wd * p.
        Weights(model).Should().Equal(new[] { 1 - 0.1f, -2 - 0.2f, 0.5f - 0.1f, 3 - 0.2f }, (a, b) => Math.Abs(a - b) < 1e-5);
    }

    [Fact]
    public void AdamW_decays_the_weights_directly()
    {
        var (model, optimizer) = Setup(OptimizerKind.AdamW);
        optimizer.Step(0);

        // p' = p (1 - lr wd) - lr sign(g).
        Weights(model).Should().Equal(new[] { (1 * (1 - 0.05f)) - 0.1f, -2 - 0.2f, (0.5f * (1 - 0.05f)) - 0.1f, 3 - 0.2f }, (a, b) => Math.Abs(a - b) < 1e-5);
    }

    [Fact]
    public void Constrained_mode_keeps_each_members_norm_at_its_initial_value()
    {
        var o = EngineFixtures.Small("Model:Kind=mlp", "Data:Kind=teacherstudent", "Optimizer:Name=sgd", "Optimizer:ConstrainNorm=true");
        var model = new PopulationMlp(2, o.Model, 5, 5);
        model.Initialize([1, 2], [0.8, 1.0]);
        var before = model.SquaredNorm().sqrt().data<float>().ToArray();
        var optimizer = new PopulationOptimizer(model, o.Optimizer, [0.5, 0.5], [0.1, 0.1]);
        for (int i = 0; i < 3; i++)
        {
            optimizer.ZeroGrad();
            model.forward(randn(2, 8, 5)).square().sum().backward();
            optimizer.Step(i);
        }

        model.SquaredNorm().sqrt().data<float>().ToArray().Should().Equal(before, (a, b) => Math.Abs(a - b) < 1e-4 * b);
    }

    [Fact]
    public void A_frozen_member_does_not_move()
    {
        var (model, optimizer) = Setup(OptimizerKind.Sgd);
        optimizer.Step(0, tensor(new[] { true, false }));

        Weights(model)[1].Should().Be(-2f);
        Weights(model)[3].Should().Be(3f);
    }

    [Fact]
    public void Warmup_starts_at_zero_and_reaches_the_full_rate_after_its_steps()
    {
        var (model, optimizer) = Setup(OptimizerKind.Sgd, warmup: 4);
        optimizer.Step(0); // lr x 0/4
        Weights(model).Should().Equal(1f, -2f, 0.5f, 3f);

        optimizer.Step(2); // lr x 2/4 = 0.05 and 0.1; gradient 2 (+ wd 0.5 p for member 0)
        Weights(model).Should().Equal(new[] { 1 - (0.05f * (2 + 0.5f)), -2 - (0.1f * 2), 0.5f - (0.05f * (2 + 0.25f)), 3 - (0.1f * 2) }, (a, b) => Math.Abs(a - b) < 1e-6);
    }

    [Theory]
    [InlineData(OptimizerKind.Sgd)]
    [InlineData(OptimizerKind.Adam)]
    [InlineData(OptimizerKind.AdamW)]
    public void A_member_with_a_non_finite_gradient_is_frozen_intact_weights_and_moments(OptimizerKind kind)
    {
        var (model, optimizer) = Setup(kind);
        optimizer.Step(0);
        var stateBefore = optimizer.State().ToDictionary(kv => kv.Key, kv => kv.Value.clone());
        var weightsBefore = Weights(model);

        optimizer.ZeroGrad();
        foreach (var p in model.Parameters)
        {
            // Member 1's gradient is NaN, member 0's is finite.
            p.Value.mul(tensor(new float[] { 2f, float.NaN }).view([2, .. Enumerable.Repeat(1L, (int)p.Value.dim() - 1)])).sum().backward();
        }

        optimizer.Step(1, tensor(new[] { true, false }));

        var after = Weights(model);
        after[1].Should().Be(weightsBefore[1]);
        after[3].Should().Be(weightsBefore[3]);
        after[0].Should().NotBe(weightsBefore[0]);
        foreach (var (name, value) in optimizer.State().Where(kv => kv.Key.StartsWith("m.", StringComparison.Ordinal) || kv.Key.StartsWith("v.", StringComparison.Ordinal)))
        {
            value[1].Equals(stateBefore[name][1]).Should().BeTrue($"{name} of the frozen member must not change");
        }

        optimizer.Active.data<float>().ToArray().Should().Equal(1f, 0f);
        optimizer.StepsTaken.to_type(ScalarType.Int64).data<long>().ToArray().Should().Equal(2L, 1L);
    }
}
