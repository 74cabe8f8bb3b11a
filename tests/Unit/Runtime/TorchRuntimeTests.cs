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

    [Fact]
    public void On_the_cpu_nothing_is_reduced_and_the_build_says_which_torchsharp_it_links()
    {
        var info = TorchRuntime.Initialize(DeviceChoice.Cpu);

        info.MathPrecision.Should().Be(MathPrecision.Cpu);
        info.PrecisionText.Should().Be("full float32 (CPU: no reduced-precision math)");
        TorchRuntime.ReducedPrecision.Should().BeFalse();
        info.Backend.Should().Be(TorchRuntime.Backend).And.BeOneOf("cpu", "cuda");
        TorchRuntime.CudaMissingReason().Should().Be(TorchRuntime.Backend == "cpu"
            ? "this build uses TorchSharp-cpu; build with -p:TorchBackend=cuda (or TORCH_BACKEND=cuda ./grokking) on a GPU host"
            : "this build uses TorchSharp-cuda-linux, but libtorch finds no CUDA device (no NVIDIA GPU, or no driver); run it on a GPU host");
    }

    /// <summary>libtorch's switches are process-wide flags that the CPU build also holds, so setting them is tested here.</summary>
    [Fact]
    public void The_cuda_precision_switches_are_set_explicitly_and_read_back()
    {
        TorchRuntime.Initialize(DeviceChoice.Cpu);
        try
        {
            torch.backends.cuda.matmul.allow_fp16_reduced_precision_reduction = true; // libtorch's default: set off by the call

            var allowed = TorchRuntime.SetCudaPrecision(allowTf32: true);
            allowed.Should().Be(new MathPrecision(MatmulTf32: true, CudnnTf32: true, Fp16ReducedReduction: false));
            allowed.Reduced.Should().BeTrue();
            allowed.Describe(cuda: true).Should().Be("reduced: TF32 in matmuls on, in cuDNN on; fp16 reduced-precision reductions off");

            var full = TorchRuntime.SetCudaPrecision(allowTf32: false);
            full.Should().Be(new MathPrecision(false, false, false));
            full.Describe(cuda: true).Should().Be("full float32 (TF32 off in matmuls and cuDNN; fp16 reduced-precision reductions off)");
            (torch.backends.cuda.matmul.allow_tf32, torch.backends.cudnn.allow_tf32).Should().Be((false, false));
        }
        finally
        {
            TorchRuntime.SetCudaPrecision(allowTf32: false);
        }
    }
}
