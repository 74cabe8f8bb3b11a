using Grokking.Configuration;
using Grokking.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace Grokking.Tests.Unit.Engine;

/// <summary>
/// TorchSharp's Module.to replaces parameters behind the model's own lists (and disposes the old tensors), so
/// population models are built on their device and refuse to move. These tests fail on a design that moves them.
/// </summary>
public class PopulationModelPlacementTests
{
    [Theory]
    [InlineData("transformer")]
    [InlineData("mlp")]
    public void A_population_model_refuses_to_be_moved_or_converted(string kind)
    {
        using var model = Build(kind);

        FluentActions.Invoking(() => model.to(ScalarType.Float64)).Should().Throw<NotSupportedException>().WithMessage("*created on its device*");
        FluentActions.Invoking(() => model.to(CPU)).Should().Throw<NotSupportedException>();
        FluentActions.Invoking(() => model.to(DeviceType.CPU)).Should().Throw<NotSupportedException>();
    }

    [Theory]
    [InlineData("transformer")]
    [InlineData("mlp")]
    public void The_tensors_the_optimizer_updates_are_the_ones_the_forward_reads(string kind)
    {
        using var model = Build(kind);
        var registered = model.parameters().ToList();
        registered.Should().HaveCount(model.Parameters.Count);
        foreach (var p in model.Parameters)
        {
            registered.Should().Contain(r => ReferenceEquals(r, p.Value), $"{p.Name} must be the registered parameter");
            p.Value.device_type.Should().Be(model.Device.type);
        }

        using var scope = NewDisposeScope();
        var input = kind == "transformer" ? randint(0, 23, [2, 5, 2], dtype: ScalarType.Int64) : randn(2, 5, 5);
        model.forward(input).square().sum().backward();
        foreach (var p in model.Parameters)
        {
            p.Value.grad.Should().NotBeNull($"the forward reads {p.Name}");
            p.Value.grad!.abs().sum().item<float>().Should().BeGreaterThan(0, $"{p.Name} gets a gradient");
        }
    }

    private static PopulationModel Build(string kind)
    {
        var o = kind == "transformer" ? EngineFixtures.Small() : EngineFixtures.Small("Model:Kind=mlp", "Data:Kind=teacherstudent");
        var model = PopulationModelFactory.Create(2, o.Model, o.Data, CPU);
        model.Initialize([1, 2], [1.0, 1.0]);
        return model;
    }
}
