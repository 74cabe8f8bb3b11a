using Grokking.Configuration;
using Grokking.Models;
using Grokking.Optim;
using static TorchSharp.torch;

namespace Grokking.Tests.Unit.Reference;

/// <summary>
/// Linear warmup over W steps: step s (0-based) uses lr x min(1, s / W), read off the optimizer's updates on a
/// one-weight, one-bias model: the SGD displacement along a known gradient, and AdamW's decoupled decay with a
/// zero gradient.
/// </summary>
public class WarmupTests
{
    private const int W = 10;
    private const double Lr = 0.2;

    // The optimizer holds learning rates and decays as float32: 0.2 is off by 3e-9.
    private const double Tolerance = 1e-7;

    private static readonly double[] Start = [2.0, -1.0];

    /// <summary>Weight and bias after one optimizer step with index <paramref name="step"/>, both gradients equal to <paramref name="gradient"/>.</summary>
    private static double[] AfterOneStep(OptimizerKind kind, double weightDecay, int warmup, int step, double gradient)
    {
        var o = ReferenceFixtures.Tiny("Model:Kind=mlp", "Data:Kind=teacherstudent", "Model:Hidden=[]", $"Optimizer:Name={kind}", $"Optimizer:WarmupSteps={warmup}");
        using var model = new PopulationMlp(1, o.Model, inputs: 1, outputs: 1, CPU, ScalarType.Float64);
        using var scope = NewDisposeScope();
        model.Load(new Dictionary<string, Tensor> { ["layers.0.weight"] = tensor(Start[0]).view(1, 1, 1), ["layers.0.bias"] = tensor(Start[1]).view(1, 1) });
        using var optimizer = new PopulationOptimizer(model, o.Optimizer, [Lr], [weightDecay]);
        optimizer.ZeroGrad();
        model.Parameters.Select(p => p.Value.sum()).Aggregate((a, b) => a + b).mul(gradient).backward();

        optimizer.Step(step);

        return [.. model.Parameters.Select(p => p.Value.item<double>())];
    }

    [Theory]
    [InlineData(0, 0.0)]
    [InlineData(1, 0.1)]
    [InlineData(W / 2, 0.5)]
    [InlineData(W, 1.0)]
    [InlineData(2 * W, 1.0)]
    public void Sgd_moves_by_the_warmed_up_rate_times_the_gradient(int step, double factor)
    {
        var after = AfterOneStep(OptimizerKind.Sgd, weightDecay: 0, warmup: W, step, gradient: 3);

        after.Should().Equal(Start.Select(v => v - (factor * Lr * 3)), (a, b) => Math.Abs(a - b) < Tolerance);
    }

    [Theory]
    [InlineData(0, 0.0)]
    [InlineData(1, 0.1)]
    [InlineData(W / 2, 0.5)]
    [InlineData(W, 1.0)]
    [InlineData(2 * W, 1.0)]
    public void AdamW_decays_by_the_warmed_up_rate(int step, double factor)
    {
        // With a zero gradient Adam's update is 0 / (0 + eps): only the decay theta *= 1 - lr wd moves the weights.
        var after = AfterOneStep(OptimizerKind.AdamW, weightDecay: 0.5, warmup: W, step, gradient: 0);

        after.Should().Equal(Start.Select(v => v * (1 - (factor * Lr * 0.5))), (a, b) => Math.Abs(a - b) < Tolerance);
    }

    [Fact]
    public void Without_warmup_the_first_step_uses_the_full_rate()
    {
        var after = AfterOneStep(OptimizerKind.Sgd, weightDecay: 0, warmup: 0, step: 0, gradient: 1);

        after.Should().Equal(Start.Select(v => v - Lr), (a, b) => Math.Abs(a - b) < Tolerance);
    }
}
