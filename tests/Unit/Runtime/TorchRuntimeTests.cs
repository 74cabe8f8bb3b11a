using Grokking.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace Grokking.Tests.Unit.Runtime;

public class TorchRuntimeTests
{
    [Fact]
    public void Loads_libtorch_on_the_cpu_and_a_small_model_learns()
    {
        var info = TorchRuntime.Initialize(DeviceChoice.Cpu);
        info.DeviceName.Should().Be("cpu");
        info.LibTorchVersion.Should().NotBeNullOrEmpty();

        using var scope = NewDisposeScope();
        var generator = new Generator(42);
        var x = randn([64, 8], generator: generator);
        var y = (x.sum(1) > 0).to(ScalarType.Int64);
        var model = nn.Sequential(nn.Linear(8, 32), nn.ReLU(), nn.Linear(32, 2));
        var optimizer = optim.SGD(model.parameters(), 0.1);

        float first = 0, last = 0;
        for (int step = 0; step < 50; step++)
        {
            using var stepScope = NewDisposeScope();
            optimizer.zero_grad();
            var loss = nn.functional.cross_entropy(model.forward(x), y);
            loss.backward();
            optimizer.step();
            if (step == 0)
            {
                first = loss.item<float>();
            }

            last = loss.item<float>();
        }

        last.Should().BeLessThan(first * 0.7f, "50 SGD steps on a separable problem must reduce the loss");
    }

    [Theory]
    [InlineData(0, false, 2, 2)]
    [InlineData(0, false, 16, 2)]
    [InlineData(0, false, 1, 1)]
    [InlineData(0, true, 16, 1)]
    [InlineData(3, false, 2, 3)]
    [InlineData(2, true, 16, 2)]
    public void Parallel_runs_default_to_two_on_a_multicore_cpu_and_one_on_cuda(int requested, bool cuda, int cores, int expected) =>
        TorchRuntime.ParallelRunsFor(requested, cuda, cores).Should().Be(expected);
}
