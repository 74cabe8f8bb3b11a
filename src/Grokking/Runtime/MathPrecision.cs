namespace Grokking.Runtime;

/// <summary>
/// libtorch's reduced-precision switches as the process runs with them: TF32 in float32 matmuls (cuBLAS) and in
/// convolutions (cuDNN), and fp16 matmul reductions in reduced precision. They act on CUDA only; on the CPU every
/// float32 operation is full float32 and the switches are not set (<see cref="Cpu"/>).
/// </summary>
public sealed record MathPrecision(bool MatmulTf32, bool CudnnTf32, bool Fp16ReducedReduction)
{
    /// <summary>The CPU: nothing reduced, nothing set.</summary>
    public static MathPrecision Cpu { get; } = new(false, false, false);

    /// <summary>Whether any switch lets CUDA round below the dtype's precision.</summary>
    public bool Reduced => MatmulTf32 || CudnnTf32 || Fp16ReducedReduction;

    /// <summary>"full float32 (TF32 off: matmul, cuDNN; fp16 reduced-precision reductions off)", or the switches that are on.</summary>
    public string Describe(bool cuda) => !cuda
        ? "full float32 (CPU: no reduced-precision math)"
        : Reduced
            ? $"reduced: TF32 in matmuls {OnOff(MatmulTf32)}, in cuDNN {OnOff(CudnnTf32)}; "
                + $"fp16 reduced-precision reductions {OnOff(Fp16ReducedReduction)}"
            : "full float32 (TF32 off in matmuls and cuDNN; fp16 reduced-precision reductions off)";

    private static string OnOff(bool on) => on ? "on" : "off";
}
