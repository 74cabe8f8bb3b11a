using Grokking.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace Grokking.Tests.Unit.Reference;

/// <summary>
/// Autograd against central differences in float64, for every architecture: the loss is the sum of the members'
/// mean losses (what the trainer differentiates), along random unit directions over all parameters of all members.
/// </summary>
public class GradientFiniteDifferenceTests
{
    private const double Step = 1e-6;

    // Central differences err by ~Step^2 (third derivative) plus ~1e-16 |L| / Step of rounding: ~1e-10 here.
    private const double RelativeTolerance = 1e-6;

    public static TheoryData<string> Models => ModelConfigurations.All;

    [Theory]
    [MemberData(nameof(Models))]
    public void Parameters_are_created_in_the_requested_type_and_float32_by_default(string overrides)
    {
        var o = ReferenceFixtures.Tiny(ModelConfigurations.Split(overrides));
        using var standard = PopulationModelFactory.Create(2, o.Model, o.Data, CPU);
        using var precise = PopulationModelFactory.Create(2, o.Model, o.Data, CPU, ScalarType.Float64);

        standard.Parameters.Should().OnlyContain(p => p.Value.dtype == ScalarType.Float32);
        precise.Parameters.Should().NotBeEmpty().And.OnlyContain(p => p.Value.dtype == ScalarType.Float64);
        precise.DType.Should().Be(ScalarType.Float64);
    }

    [Theory]
    [MemberData(nameof(Models))]
    public void Directional_derivatives_match_central_differences(string overrides)
    {
        var o = ReferenceFixtures.Tiny(ModelConfigurations.Split(overrides));
        using var model = ReferenceFixtures.Float64Model(o, [3, 4], [1.0, 1.3]);
        using var scope = NewDisposeScope();
        var (x, y, task) = ReferenceFixtures.Batch(o, members: 2, batch: 6, seed: 11);
        ReferenceFixtures.MemberLosses(model, x, y, task).sum().backward();
        foreach (var p in model.Parameters)
        {
            for (int k = 0; k < 2; k++)
            {
                ReferenceFixtures.SumSquares(p.Value.grad![k]).Should().BeGreaterThan(0, $"member {k}'s {p.Name} must get a gradient, or the check below misses it");
            }
        }

        var start = model.Snapshot();
        double LossAt(IReadOnlyList<Tensor> direction, double t)
        {
            using var noGrad = no_grad();
            for (int i = 0; i < direction.Count; i++)
            {
                model.Parameters[i].Value.add_(direction[i], alpha: t);
            }

            double loss = ReferenceFixtures.MemberLosses(model, x, y, task).sum().item<double>();
            model.Load(start);
            return loss;
        }

        var g = new Generator(99);
        for (int d = 0; d < 3; d++)
        {
            var direction = model.Parameters.Select(p => randn(p.Value.shape, ScalarType.Float64, generator: g)).ToList();
            double length = Math.Sqrt(ReferenceFixtures.SumSquares(direction));
            direction = direction.Select(v => v.div(length)).ToList();

            double analytic = model.Parameters.Select((p, i) => p.Value.grad!.mul(direction[i]).sum().item<double>()).Sum();
            double numeric = (LossAt(direction, Step) - LossAt(direction, -Step)) / (2 * Step);

            Math.Abs(analytic).Should().BeGreaterThan(1e-4, "a vanishing derivative would make the comparison vacuous");
            Math.Abs(analytic - numeric).Should().BeLessThan(RelativeTolerance * Math.Abs(analytic), $"direction {d}: autograd {analytic:R}, central difference {numeric:R}");
        }
    }

    [Theory]
    [MemberData(nameof(Models))]
    public void Members_are_independent_functions_of_their_own_parameters(string overrides)
    {
        var o = ReferenceFixtures.Tiny(ModelConfigurations.Split(overrides));
        using var model = ReferenceFixtures.Float64Model(o, [3, 4]);
        using var scope = NewDisposeScope();
        var (x, y, task) = ReferenceFixtures.Batch(o, members: 2, batch: 6, seed: 12);

        var losses = ReferenceFixtures.MemberLosses(model, x, y, task);
        var before = losses.detach().data<double>().ToArray();
        losses[0].backward();
        foreach (var p in model.Parameters)
        {
            p.Value.grad![1].abs().max().item<double>().Should().Be(0, $"member 0's loss must not reach member 1's {p.Name}");
        }

        ReferenceFixtures.SumSquares(model.Parameters.Select(p => p.Value.grad![0])).Should().BeGreaterThan(0);

        using (no_grad())
        {
            var g = new Generator(5);
            foreach (var p in model.Parameters)
            {
                p.Value[0].add_(randn(p.Value.shape[1..], ScalarType.Float64, generator: g).mul_(0.5));
            }
        }

        var after = ReferenceFixtures.MemberLosses(model, x, y, task).detach().data<double>().ToArray();
        after[1].Should().Be(before[1], "member 1's loss must not depend on member 0's weights");
        after[0].Should().NotBe(before[0]);
    }
}
