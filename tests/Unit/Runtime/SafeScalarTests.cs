using System.Text.RegularExpressions;
using Grokking.Claims;
using Grokking.Runtime;
using static TorchSharp.torch;

namespace Grokking.Tests.Unit.Runtime;

/// <summary>
/// The Scalar-safe helpers compute exactly what TorchSharp's own operators compute (same dtype, same values), and
/// the engine's hot folders use them instead of the operators that hand an implicitly created Scalar to native
/// code (see <see cref="SafeScalar"/> for the crash this prevents).
/// </summary>
public sealed partial class SafeScalarTests
{
    // The libstdc++ shim must be in place before TorchSharp first loads its native library.
    public SafeScalarTests() => TorchRuntime.Initialize(DeviceChoice.Cpu);

    [Fact]
    public void Each_helper_equals_the_torchsharp_operator_it_replaces()
    {
        using var scope = NewDisposeScope();
        var a = tensor(new float[] { -1.5f, 0f, 2f, 3.25f });
        var b = tensor(new float[] { 0.5f, -2f, 4f, 1f });
        var mask = tensor(new[] { true, false, true, false });

        Same(a.Plus(b), a.add(b));
        Same(a.clone().PlusInPlace(b), a.clone().add_(b));
        Same(a.clone().PlusInPlace(0.75), a.clone().add_(0.75));
        Same(a.clone().PlusScaledInPlace(b, 0.3), a.clone().add_(b, alpha: 0.3));
        Same(a.clone().PlusProductInPlace(b, b, 0.2), a.clone().addcmul_(b, b, 0.2));
        Same(a.Times(-2.5), a.mul(-2.5));
        Same(a.clone().TimesInPlace(3.0), a.clone().mul_(3.0));
        Same(a.DividedBy(7.0), a.div(7.0));
        Same(a.clone().DivideInPlace(7.0), a.clone().div_(7.0));
        Same(a.FillWhere(mask, double.NegativeInfinity), a.masked_fill(mask, double.NegativeInfinity));
        Same(a.clone().FillWhereInPlace(mask, 0), a.clone().masked_fill_(mask, 0));
        Same(a.ClampMin(0.1), a.clamp_min(0.1));
        Same(a.EqualTo(0), a.eq(0));
        Same(a.Squared(), a.square());
        Same(a.LessThan(2.5), a.lt(2.5));
        Same(a.clone().ClampMinInPlace(0), a.clone().clamp_min_(0));
        a.Plus(b).data<float>().ToArray().Should().Equal(-1f, -2f, 6f, 4.25f);
    }

    private static void Same(Tensor actual, Tensor expected)
    {
        actual.dtype.Should().Be(expected.dtype);
        actual.allclose(expected, rtol: 0, atol: 0).Should().BeTrue();
    }

    [Fact]
    public void Integer_scaling_keeps_an_index_tensor_integer()
    {
        using var scope = NewDisposeScope();
        var offsets = arange(3, dtype: ScalarType.Int64).Times(97L);
        offsets.dtype.Should().Be(ScalarType.Int64, "offsets index rows");
        offsets.data<long>().ToArray().Should().Equal(0L, 97L, 194L);
        arange(3, dtype: ScalarType.Int64).TimesInPlace(5L).data<long>().ToArray().Should().Equal(0L, 5L, 10L);
    }

    [Fact]
    public void The_engine_hot_paths_use_no_operator_with_an_implicit_scalar_alpha()
    {
        // Tensor.add(Tensor) / add_(Tensor) pass an implicit Scalar 1 as alpha, square() an implicit exponent 2: the
        // patterns behind the three crashes seen (add_ twice, pow once).
        string src = Path.Combine(RepositoryLocator.Find(), "src", "Grokking");
        var offenders = new[] { "Data", "Models", "Optim", "Training", "Landscape" }
            .SelectMany(folder => Directory.GetFiles(Path.Combine(src, folder), "*.cs", SearchOption.AllDirectories))
            .SelectMany(f => File.ReadAllLines(f).Select((line, i) => (File: Path.GetFileName(f), Line: i + 1, Text: line)))
            .Where(l => TensorAdd().IsMatch(l.Text))
            .Select(l => $"{l.File}:{l.Line}: {l.Text.Trim()}")
            .ToList();
        offenders.Should().BeEmpty("tensor additions and squares go through SafeScalar (Plus, PlusInPlace, Squared)");
    }

    [GeneratedRegex(@"\.add_?\(|\.square\(\)")]
    private static partial Regex TensorAdd();
}
