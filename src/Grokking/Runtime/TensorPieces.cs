using TorchSharp;
using static TorchSharp.torch;

namespace Grokking.Runtime;

/// <summary>
/// A tensor's pieces along a dimension, as views: <c>unbind</c> and <c>chunk</c> on the CPU and on CUDA, whose backward
/// joins the pieces' gradients in one operation (stack, cat). On any other device the pieces are taken one view at a
/// time (<c>select</c>, <c>narrow</c>): the device a machine without a GPU offers for checking where tensors live,
/// libtorch's lazy device (the engine's non-CPU device tests), hands out CPU tensors from its multi-output view
/// operations (split, chunk, unbind go through its eager fallback). The pieces hold the same values either way; only
/// that device's backward pays a zero-filled gradient per piece.
/// </summary>
public static class TensorPieces
{
    /// <summary>The slices of <paramref name="tensor"/> along <paramref name="dim"/>, that dimension removed.</summary>
    public static Tensor[] Unbind(Tensor tensor, long dim) => Joined(tensor)
        ? tensor.unbind(dim)
        : [.. Enumerable.Range(0, (int)tensor.shape[dim]).Select(i => tensor.select(dim, i))];

    /// <summary><paramref name="chunks"/> pieces as <c>chunk</c> cuts them: ceil(n / chunks) each, the last the rest.</summary>
    public static Tensor[] Chunk(Tensor tensor, int chunks, long dim)
    {
        if (Joined(tensor))
        {
            return tensor.chunk(chunks, dim);
        }

        long n = tensor.shape[dim];
        long size = (n + chunks - 1) / chunks;
        var pieces = new List<Tensor>();
        for (long start = 0; start < n; start += size)
        {
            pieces.Add(tensor.narrow(dim, start, Math.Min(size, n - start)));
        }

        return [.. pieces];
    }

    private static bool Joined(Tensor tensor) => tensor.device_type is DeviceType.CPU or DeviceType.CUDA;
}
