namespace Grokking.Training;

/// <summary>
/// One measurement line of tools/bench-pytorch.py, as validated by <see cref="PyTorchOutput"/>: the eager model (K = 1)
/// or the population through vmap (K = members; Batching names the API, "bmm" for the hand-batched fallback).
/// </summary>
public sealed record PyTorchMeasurement(
    string Mode, string Batching, int Members, long Steps, double Seconds, double StepsPerSecond, double EpochsPerSecond,
    double CpuSeconds, string TorchVersion, int Threads, string Blas)
{
    public const string Eager = "eager";
    public const string Vmap = "vmap";

    /// <summary>The row's label, e.g. "PyTorch eager K=1" or "PyTorch vmap K=8 (functorch)" / "PyTorch bmm-batched K=8 (no vmap)".</summary>
    public string Label => Mode == Eager ? "PyTorch eager K=1"
        : Batching == "bmm" ? $"PyTorch bmm-batched K={Members} (no vmap)"
        : $"PyTorch vmap K={Members} ({Batching})";

    /// <summary>Whether the BLAS the script mapped is OpenBLAS (Debian's default libblas.so.3 is the slow reference BLAS).</summary>
    public bool OpenBlas => Blas.Contains("openblas", StringComparison.OrdinalIgnoreCase);
}
