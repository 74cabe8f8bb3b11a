using Grokking.Runtime;

namespace Grokking.Tests.Unit.Cli;

/// <summary>
/// A theory about a host without CUDA (asking for it must then fail): skipped, with the reason, where libtorch finds a
/// CUDA device, which only a GPU runner's CUDA build does.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class WithoutCudaTheoryAttribute : TheoryAttribute
{
    public WithoutCudaTheoryAttribute()
    {
        if (TorchRuntime.CudaAvailable())
        {
            Skip = "this host has CUDA: Runtime:Device=cuda is honoured here";
        }
    }
}
