using Grokking.Configuration;
using Grokking.Models;
using static TorchSharp.torch;

namespace Grokking.Tests.Unit.Reference;

/// <summary>
/// Every parameter's draw against the distribution its initialization mode prescribes, written here from the
/// definitions (PyTorch's layer defaults; Nanda/Omnigrok's scaled normal), with statistical tolerances of five
/// standard errors; the member's init scale alpha multiplies the draw.
/// </summary>
public class InitializationMomentTests
{
    private static readonly long[] Seeds = [11, 11, 12];
    private static readonly double[] Alphas = [1.0, 2.5, 0.5];

    private sealed record Expected(InitKind Kind, double Fan);

    [Theory]
    [InlineData("Model:Init=pytorchdefault")]
    [InlineData("Model:Init=scalednormal")]
    [InlineData("Model:Kind=mlp|Data:Kind=teacherstudent|Model:Norm=none")]
    public void Every_parameter_has_the_moments_of_its_prescribed_distribution_times_alpha(string overrides)
    {
        // LayerNorm so gains and norm biases exist; the five-token format so vocabulary (p + 2) and classes (p) differ.
        var o = ReferenceFixtures.Tiny(["Model:Norm=layernorm", "Model:Layers=2", "Data:Modulus=97", "Data:Format=fivetoken", "Model:DModel=64", "Model:DMlp=256", "Model:Heads=4", "Model:Hidden=200,150", "Data:TeacherInputs=300", .. overrides.Split('|')]);
        using var model = PopulationModelFactory.Create(Seeds.Length, o.Model, o.Data, CPU, ScalarType.Float64);
        model.Initialize(Seeds, Alphas);
        using var scope = NewDisposeScope();

        foreach (var p in model.Parameters)
        {
            var expected = o.Model.Kind == ModelKind.Mlp ? MlpExpectation(p.Name, o) : TransformerExpectation(p.Name, o);
            p.Init.Should().Be(expected.Kind, p.Name);
            var drawn = p.Value.detach();
            // Drawn and scaled in float32, hence the float32 tolerance.
            drawn[1].allclose(drawn[0].mul(Alphas[1]), rtol: 1e-6, atol: 0).Should().BeTrue($"{p.Name}: the same seed with alpha 2.5 draws 2.5 times the same weights");
            for (int k = 0; k < Seeds.Length; k++)
            {
                CheckMoments(drawn[k].div(Alphas[k]).reshape(-1).data<double>().ToArray(), expected, $"{p.Name}, member {k}");
            }
        }

    }

    [Fact]
    public void The_two_transformer_modes_together_use_every_init_kind()
    {
        var kinds = new[] { "pytorchdefault", "scalednormal" }
            .SelectMany(init =>
            {
                var o = ReferenceFixtures.Tiny("Model:Norm=layernorm", $"Model:Init={init}");
                using var model = PopulationModelFactory.Create(1, o.Model, o.Data, CPU);
                return model.Parameters.Select(p => p.Init).ToList();
            })
            .Distinct();

        kinds.Should().BeEquivalentTo(Enum.GetValues<InitKind>(), "a new InitKind needs its moments checked here");
    }

    /// <summary>PyTorch: nn.Embedding N(0, 1), nn.Linear U(+-1/sqrt(fan_in)); Nanda: weights N(0, 1/d_model), unembedding N(0, 1/d_vocab), biases 0.</summary>
    private static Expected TransformerExpectation(string name, GrokkingOptions o)
    {
        double d = o.Model.DModel;
        double dMlp = o.Model.DMlp;
        double classes = o.Data.Modulus; // five-token format: the unembedding's width is p
        bool scaled = o.Model.Init == Initialization.ScaledNormal;
        if (name.EndsWith(".gain", StringComparison.Ordinal))
        {
            return new(InitKind.Ones, 0);
        }

        if (name.Contains("ln", StringComparison.Ordinal) && name.EndsWith(".bias", StringComparison.Ordinal))
        {
            return new(InitKind.Zeros, 0);
        }

        return name switch
        {
            "embed" or "position" => scaled ? new(InitKind.Normal, d) : new(InitKind.Normal, 1),
            "unembed" => scaled ? new(InitKind.Normal, classes) : new(InitKind.Uniform, d),
            _ when name.EndsWith("mlp.in.bias", StringComparison.Ordinal) => scaled ? new(InitKind.Zeros, 0) : new(InitKind.Uniform, d),
            _ when name.EndsWith("mlp.out.bias", StringComparison.Ordinal) => scaled ? new(InitKind.Zeros, 0) : new(InitKind.Uniform, dMlp),
            _ when name.EndsWith("mlp.out.weight", StringComparison.Ordinal) => scaled ? new(InitKind.Normal, d) : new(InitKind.Uniform, dMlp),
            _ => scaled ? new(InitKind.Normal, d) : new(InitKind.Uniform, d), // W_Q, W_K, W_V, W_O, W_in
        };
    }

    private static Expected MlpExpectation(string name, GrokkingOptions o)
    {
        int[] widths = [o.Data.TeacherInputs, .. o.Model.Hidden, o.Data.TeacherOutputs];
        int layer = int.Parse(name.Split('.')[1], System.Globalization.CultureInfo.InvariantCulture);
        return new(InitKind.Uniform, widths[layer]);
    }

    private static void CheckMoments(double[] x, Expected expected, string what)
    {
        x.Length.Should().BeGreaterThan(0);
        switch (expected.Kind)
        {
            case InitKind.Ones:
                x.Should().AllSatisfy(v => v.Should().Be(1, what));
                return;
            case InitKind.Zeros:
                x.Should().AllSatisfy(v => v.Should().Be(0, what));
                return;
        }

        int n = x.Length;
        double mean = x.Average();
        double variance = x.Select(v => v * v).Average(); // about the true mean 0
        double fourth = x.Select(v => v * v * v * v).Average();
        if (expected.Kind == InitKind.Uniform)
        {
            // U(-b, b): variance b^2/3, E x^4 = b^4/5, so Var(x^2) = b^4 (1/5 - 1/9).
            double b = 1 / Math.Sqrt(expected.Fan);
            x.Max(Math.Abs).Should().BeLessThanOrEqualTo(b * (1 + 1e-6), what);
            if (n >= 2000)
            {
                x.Max(Math.Abs).Should().BeGreaterThan(0.99 * b, $"{what}: the draws must fill the interval");
            }

            mean.Should().BeApproximately(0, 5 * b / Math.Sqrt(3 * n), what);
            variance.Should().BeApproximately(b * b / 3, 5 * b * b * Math.Sqrt((1.0 / 5 - 1.0 / 9) / n), what);
            if (n >= 4096)
            {
                (fourth / (variance * variance)).Should().BeApproximately(9.0 / 5, 0.3, $"{what}: kurtosis of a uniform");
            }
        }
        else
        {
            // N(0, s^2): Var(x^2) = 2 s^4; kurtosis 3.
            double s2 = 1 / expected.Fan;
            mean.Should().BeApproximately(0, 5 * Math.Sqrt(s2 / n), what);
            variance.Should().BeApproximately(s2, 5 * s2 * Math.Sqrt(2.0 / n), what);
            if (n >= 4096)
            {
                (fourth / (variance * variance)).Should().BeApproximately(3, 0.5, $"{what}: kurtosis of a Gaussian");
            }
        }
    }
}
