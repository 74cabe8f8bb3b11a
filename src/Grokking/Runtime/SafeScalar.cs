using TorchSharp;
using static TorchSharp.torch;

namespace Grokking.Runtime;

/// <summary>
/// Tensor arithmetic whose Scalars outlive the native call. TorchSharp 0.107 turns every number (and the implicit
/// alpha of <c>add(Tensor)</c>) into a native Scalar that only the finalizer frees, and passes its handle on after
/// the wrapper object is already unreachable: a garbage collection started by another thread during the call can
/// finalize the Scalar before libtorch reads it. Long runs here died that way ("For integral input tensors, argument
/// alpha must not be a floating point number"; "Expected false to be true" in Scalar::toFloat, both inside add_).
/// These helpers keep the Scalar reachable until the call returns: constants as static roots, other numbers in a
/// using block. Hot paths (forward passes, optimizer steps, evaluation) use them.
/// </summary>
public static class SafeScalar
{
    // Static fields are roots: this is never finalized.
    private static readonly Scalar One = 1;
    private static readonly Scalar Two = 2;

    /// <summary>a + b (tensor), with the alpha of 1 held alive.</summary>
    public static Tensor Plus(this Tensor a, Tensor b) => a.add(b, One);

    public static Tensor PlusInPlace(this Tensor a, Tensor b) => a.add_(b, One);

    /// <summary>a², element-wise (TorchSharp's square() is pow with an implicit Scalar 2).</summary>
    public static Tensor Squared(this Tensor a) => a.pow(Two);

    public static Tensor PlusInPlace(this Tensor a, double value) => With(value, s => a.add_(s, One));

    /// <summary>a + alpha * b, in place.</summary>
    public static Tensor PlusScaledInPlace(this Tensor a, Tensor b, double alpha) => With(alpha, s => a.add_(b, s));

    /// <summary>a + value * b * c, in place.</summary>
    public static Tensor PlusProductInPlace(this Tensor a, Tensor b, Tensor c, double value) => With(value, s => a.addcmul_(b, c, s));

    /// <summary>Integer scaling (keeps an integer tensor integer).</summary>
    public static Tensor Times(this Tensor a, long value) => With(value, s => a.mul(s));

    /// <summary>Integer scaling in place (keeps an integer tensor integer).</summary>
    public static Tensor TimesInPlace(this Tensor a, long value) => With(value, s => a.mul_(s));

    public static Tensor Times(this Tensor a, double value) => With(value, s => a.mul(s));

    public static Tensor TimesInPlace(this Tensor a, double value) => With(value, s => a.mul_(s));

    public static Tensor DividedBy(this Tensor a, double value) => With(value, s => a.div(s));

    public static Tensor DivideInPlace(this Tensor a, double value) => With(value, s => a.div_(s));

    /// <summary>a where mask is false, value where it is true.</summary>
    public static Tensor FillWhere(this Tensor a, Tensor mask, double value) => With(value, s => a.masked_fill(mask, s));

    public static Tensor FillWhereInPlace(this Tensor a, Tensor mask, double value) => With(value, s => a.masked_fill_(mask, s));

    public static Tensor ClampMin(this Tensor a, double min) => With(min, s => a.clamp_min(s));

    public static Tensor ClampMinInPlace(this Tensor a, double min) => With(min, s => a.clamp_min_(s));

    public static Tensor EqualTo(this Tensor a, double value) => With(value, s => a.eq(s));

    public static Tensor LessThan(this Tensor a, double value) => With(value, s => a.lt(s));

    // The using block is what keeps the Scalar reachable until the native call inside op has returned.
    private static Tensor With(Scalar scalar, Func<Scalar, Tensor> op)
    {
        using (scalar)
        {
            return op(scalar);
        }
    }
}
