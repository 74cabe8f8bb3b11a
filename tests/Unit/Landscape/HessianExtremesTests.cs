using Grokking.Configuration;
using Grokking.Data;
using Grokking.Landscape;
using Grokking.Models;
using Grokking.Runtime;
using Grokking.Training;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace Grokking.Tests.Unit.Landscape;

/// <summary>
/// The numerical core of PG-6 against independent references: batched Lanczos extremes of quadratics with known
/// spectra (definite, indefinite, with repeated eigenvalues that force breakdowns), of a tiny MLP's exact Hessian
/// (central differences of first-order gradients, eigenvalues by dense Jacobi), members that do not leak into each
/// other, and the tridiagonal eigen solver and the paper's shifted estimate on hand-computed cases.
/// </summary>
public sealed class HessianExtremesTests(ITestOutputHelper output)
{
    private const int Inputs = 3;
    private const int Classes = 3;
    private const int Batch = 10;

    /// <summary>The spectra of the three quadratic members: definite, indefinite, and definite with repeats.</summary>
    private static readonly double[][] Spectra =
    [
        [0.5, 1, 2, 3, 4, 5, 7, 10],
        [-3, -0.5, 0.25, 1, 2, 2.5, 4, 6],
        [0.01, 1, 1, 1, 2, 2, 2, 9],
    ];

    [Fact]
    public void Extremes_of_quadratics_match_their_known_spectra_per_member()
    {
        TorchRuntime.Initialize(DeviceChoice.Cpu);
        int members = Spectra.Length;
        int n = Spectra[0].Length;
        using var scope = NewDisposeScope();
        using var g = new Generator(11);
        // A_k = Q_k diag(λ_k) Q_kᵀ with a random orthogonal Q_k: the Hessian of 0.5 xᵀA_k x is A_k.
        var q = linalg.qr(randn([members, n, n], ScalarType.Float64, generator: g)).Q;
        var a = q.mul(tensor(Spectra.SelectMany(s => s).ToArray(), [members, 1, n])).bmm(q.transpose(1, 2));
        var x = randn([members, n], ScalarType.Float64, generator: g).requires_grad_();
        using var hessian = new HessianVectorProduct([x], () => x.unsqueeze(1).bmm(a).bmm(x.unsqueeze(2)).reshape(members).Times(0.5));

        var extremes = LanczosExtremes.Compute(hessian, [100, 101, 102]);

        for (int k = 0; k < members; k++)
        {
            var dense = Dense(a[k]);
            var reference = DenseSymmetricEigen.Eigenvalues(dense);
            double[] known = [.. Spectra[k].Order()];
            reference.Zip(known, (r, e) => Math.Abs(r - e)).Max().Should().BeLessThan(1e-10, "the Jacobi reference recovers the constructed spectrum");

            double lambdaMax = reference[^1];
            double lambdaMin = reference[0];
            double shift = 0.51 * lambdaMax;
            double paper = reference.MaxBy(l => Math.Abs(l - shift));
            var e = extremes[k];
            double errMax = Relative(e.LambdaMax, lambdaMax);
            double errMin = Relative(e.LambdaMin, lambdaMin);
            double errShifted = Relative(e.LambdaMinShifted, paper);
            output.WriteLine($"member {k}: λmax {e.LambdaMax:R} (rel err {errMax:E2}), λmin {e.LambdaMin:R} (rel err {errMin:E2}), shifted {e.LambdaMinShifted:R} (rel err {errShifted:E2}), restarts {e.Restarts}");

            e.Member.Should().Be(k);
            e.Iterations.Should().Be(n, "the default 40 steps are capped at n");
            errMax.Should().BeLessThan(1e-4);
            errMin.Should().BeLessThan(1e-4);
            errShifted.Should().BeLessThan(1e-4);
            e.Shift.Should().BeApproximately(shift, 1e-4 * Math.Abs(shift));
            e.ConditionNumber.Should().BeApproximately(lambdaMax / lambdaMin, 1e-4 * Math.Abs(lambdaMax / lambdaMin));
            e.ConditionNumberMagnitude.Should().BeApproximately(lambdaMax / Math.Abs(lambdaMin), 1e-4 * Math.Abs(lambdaMax / lambdaMin));
        }

        extremes[0].LambdaMinShifted.Should().BeApproximately(10, 1e-9, "with λmin > 0.02 λmax the paper's estimate returns λmax");
        extremes[1].LambdaMin.Should().BeNegative("an indefinite Hessian's λmin is kept signed");
        extremes[1].ConditionNumber.Should().BeNegative();
        extremes[2].Restarts.Should().BePositive("four distinct eigenvalues span a Krylov space of four dimensions out of eight");
        extremes[0].Restarts.Should().Be(0);
        extremes[1].Restarts.Should().Be(0);
    }

    [Fact]
    public void Extremes_of_a_tiny_mlp_match_its_exact_dense_hessian()
    {
        var (model, x, y) = TinyMlp(changedMember1: false);
        using (model)
        using (x)
        using (y)
        using (var scope = NewDisposeScope())
        {
            int n = (int)model.Parameters.Sum(p => p.Value.numel() / model.Members);
            var dense = FiniteDifferenceHessians(model, x, y, n);
            using var hessian = new HessianVectorProduct(model, () => Loss(model, x, y));
            hessian.Dimension.Should().Be(n);

            // The products themselves against the dense matrices, on one random direction per member.
            var v = randn([model.Members, n], ScalarType.Float64, generator: new Generator(5));
            var hv = hessian.Apply(v).data<double>().ToArray();
            var vs = v.data<double>().ToArray();
            for (int k = 0; k < model.Members; k++)
            {
                var reference = Enumerable.Range(0, n).Select(i => Enumerable.Range(0, n).Sum(j => dense[k][i, j] * vs[(k * n) + j])).ToArray();
                double err = Math.Sqrt(reference.Select((r, i) => Math.Pow(hv[(k * n) + i] - r, 2)).Sum() / reference.Sum(r => r * r));
                output.WriteLine($"member {k}: ‖Hv − H_fd v‖ / ‖H_fd v‖ = {err:E2}");
                err.Should().BeLessThan(1e-6);
            }

            var extremes = LanczosExtremes.Compute(hessian, [7, 8], iterations: n);
            for (int k = 0; k < model.Members; k++)
            {
                var reference = DenseSymmetricEigen.Eigenvalues(dense[k]);
                var e = extremes[k];
                double errMax = Relative(e.LambdaMax, reference[^1]);
                double errMin = Relative(e.LambdaMin, reference[0]);
                output.WriteLine($"member {k} (n = {n}): λmax {e.LambdaMax:R} vs {reference[^1]:R} (rel err {errMax:E2}), λmin {e.LambdaMin:R} vs {reference[0]:R} (rel err {errMin:E2}), restarts {e.Restarts}");
                e.Iterations.Should().Be(n);
                errMax.Should().BeLessThan(1e-5);
                errMin.Should().BeLessThan(1e-5);
            }
        }
    }

    [Fact]
    public void A_member_extremes_do_not_depend_on_another_member_data_or_weights()
    {
        var before = ExtremesOfTinyMlp(changedMember1: false);
        var after = ExtremesOfTinyMlp(changedMember1: true);

        output.WriteLine($"member 0: λmax {before[0].LambdaMax:R} -> {after[0].LambdaMax:R}, λmin {before[0].LambdaMin:R} -> {after[0].LambdaMin:R}");
        output.WriteLine($"member 1: λmax {before[1].LambdaMax:R} -> {after[1].LambdaMax:R}, λmin {before[1].LambdaMin:R} -> {after[1].LambdaMin:R}");
        after[0].Should().Be(before[0], "member 0's Hessian block, start vector and coefficients are untouched by member 1");
        after[1].LambdaMax.Should().NotBe(before[1].LambdaMax, "member 1's own change does reach its extremes");

        // Member 0 alone, in a population of one with the same seed and data: the same extremes up to rounding.
        var (pair, x, y) = TinyMlp(changedMember1: false);
        var options = new ModelOptions { Kind = ModelKind.Mlp, Hidden = [4], Activation = Activation.Tanh, Precision = Precision.Float64 };
        using (pair)
        using (x)
        using (y)
        using (var single = new PopulationMlp(1, options, Inputs, Classes, CPU, options.DType))
        using (var scope = NewDisposeScope())
        {
            single.Initialize([1], [2.0]);
            var x0 = x.narrow(0, 0, 1);
            var y0 = y.narrow(0, 0, 1);
            using var hessian = new HessianVectorProduct(single, () => Loss(single, x0, y0));
            var alone = LanczosExtremes.Compute(hessian, [7], iterations: 12)[0];
            double errMax = Relative(alone.LambdaMax, before[0].LambdaMax);
            double errMin = Relative(alone.LambdaMin, before[0].LambdaMin);
            output.WriteLine($"member 0 alone: λmax rel diff {errMax:E2}, λmin rel diff {errMin:E2}");
            errMax.Should().BeLessThan(1e-10);
            errMin.Should().BeLessThan(1e-10);
        }
    }

    [Fact]
    public void The_tridiagonal_eigen_solver_matches_hand_computed_cases()
    {
        SymmetricTridiagonal.Eigenvalues([4.0], []).Should().Equal(4.0);
        Close(SymmetricTridiagonal.Eigenvalues([2.0, 2.0], [1.0]), [1, 3]);
        // [[4, 1], [1, -2]]: 1 ± √10.
        Close(SymmetricTridiagonal.Eigenvalues([4.0, -2.0], [1.0]), [1 - Math.Sqrt(10), 1 + Math.Sqrt(10)]);
        // The second-difference matrix: 2 - 2cos(kπ/4), k = 1, 2, 3.
        Close(SymmetricTridiagonal.Eigenvalues([2.0, 2.0, 2.0], [-1.0, -1.0]), [2 - Math.Sqrt(2), 2, 2 + Math.Sqrt(2)]);
        // A breakdown splits the matrix: [1] and [[3, 2], [2, 3]] (eigenvalues 1 and 5).
        Close(SymmetricTridiagonal.Eigenvalues([1.0, 3.0, 3.0], [0.0, 2.0]), [1, 1, 5]);
        // [[1, 1, 0], [1, 1, 1], [0, 1, 1]]: 1 - √2, 1, 1 + √2.
        Close(SymmetricTridiagonal.Eigenvalues([1.0, 1.0, 1.0], [1.0, 1.0]), [1 - Math.Sqrt(2), 1, 1 + Math.Sqrt(2)]);
    }

    [Fact]
    public void The_paper_shifted_estimate_is_the_ritz_value_farthest_from_0_51_lambda_max()
    {
        // λ = {1, 10}: σ = 5.1, |1 − σ| = 4.1 < |10 − σ| = 4.9, so the paper's estimate returns λmax.
        var definite = LanczosExtremes.ExtremesOf(0, [1.0, 10.0], [0.0], restarts: 1);
        definite.LambdaMin.Should().Be(1);
        definite.LambdaMinShifted.Should().Be(10);
        definite.Shift.Should().BeApproximately(5.1, 1e-12);
        definite.ConditionNumber.Should().Be(10);
        definite.ConditionNumberShifted.Should().Be(1);

        // λ = {0.1, 10}: below 0.02 λmax the estimate is λmin.
        LanczosExtremes.ExtremesOf(0, [0.1, 10.0], [0.0], restarts: 1).LambdaMinShifted.Should().Be(0.1);

        // λ = {−2, 10}: a saddle; both report the negative eigenvalue, and the signed condition number is negative.
        var saddle = LanczosExtremes.ExtremesOf(3, [-2.0, 10.0], [0.0], restarts: 0);
        saddle.LambdaMinShifted.Should().Be(-2);
        saddle.ConditionNumber.Should().Be(-5);
        saddle.ConditionNumberMagnitude.Should().Be(5);
    }

    private static IReadOnlyList<HessianExtremes> ExtremesOfTinyMlp(bool changedMember1)
    {
        var (model, x, y) = TinyMlp(changedMember1);
        using (model)
        using (x)
        using (y)
        {
            using var hessian = new HessianVectorProduct(model, () => Loss(model, x, y));
            return LanczosExtremes.Compute(hessian, [7, 8], iterations: 12);
        }
    }

    /// <summary>
    /// Two members, 3 inputs, one tanh layer of 4, 3 classes, float64 (n = 31 per member); member 1 optionally with
    /// other weights and other data while member 0 is the same.
    /// </summary>
    private static (PopulationMlp Model, Tensor X, Tensor Y) TinyMlp(bool changedMember1)
    {
        TorchRuntime.Initialize(DeviceChoice.Cpu);
        var options = new ModelOptions { Kind = ModelKind.Mlp, Hidden = [4], Activation = Activation.Tanh, Precision = Precision.Float64 };
        var model = new PopulationMlp(2, options, Inputs, Classes, CPU, options.DType);
        model.Initialize([1, changedMember1 ? 99 : 2], [2.0, 2.0]);
        using var g0 = new Generator(21);
        using var g1 = new Generator(changedMember1 ? 77UL : 22UL);
        var x = stack([randn([Batch, Inputs], ScalarType.Float64, generator: g0), randn([Batch, Inputs], ScalarType.Float64, generator: g1)]);
        var y = stack([randint(Classes, [Batch], ScalarType.Int64, generator: g0), randint(Classes, [Batch], ScalarType.Int64, generator: g1)]);
        return (model, x.DetachFromDisposeScope(), y.DetachFromDisposeScope());
    }

    private static Tensor Loss(PopulationModel model, Tensor x, Tensor y) =>
        LossFunctions.PerExample(model.forward(x), y, TaskKind.Classification).mean([1]);

    /// <summary>
    /// Each member's exact Hessian [n, n] by central differences (ε = 1e-5) of first-order autograd gradients: no
    /// double backprop, so it checks the Hessian-vector products rather than repeating them. Entry i of every member
    /// moves at once; the population's Hessian is block-diagonal, so each member sees only its own move.
    /// </summary>
    private static double[][,] FiniteDifferenceHessians(PopulationModel model, Tensor x, Tensor y, int n)
    {
        const double eps = 1e-5;
        int members = model.Members;
        var flat = model.Parameters.Select(p => p.Value.view(members, -1)).ToArray();
        var result = Enumerable.Range(0, members).Select(_ => new double[n, n]).ToArray();
        int column = 0;
        foreach (var p in flat)
        {
            for (long i = 0; i < p.shape[1]; i++, column++)
            {
                var plus = GradientAfterMove(model, x, y, p, i, eps);
                var minus = GradientAfterMove(model, x, y, p, i, -eps);
                for (int k = 0; k < members; k++)
                {
                    for (int r = 0; r < n; r++)
                    {
                        result[k][r, column] = (plus[(k * n) + r] - minus[(k * n) + r]) / (2 * eps);
                    }
                }
            }
        }

        return result;
    }

    private static double[] GradientAfterMove(PopulationModel model, Tensor x, Tensor y, Tensor flat, long index, double delta)
    {
        using var scope = NewDisposeScope();
        var entry = flat.select(1, index);
        var saved = entry.detach().clone();
        using (no_grad())
        {
            entry.PlusInPlace(delta);
        }

        var parameters = model.Parameters.Select(p => (Tensor)p.Value).ToList();
        var grads = autograd.grad([Loss(model, x, y).sum()], parameters);
        var gradient = cat([.. grads.Select(t => t.reshape(model.Members, -1))], 1).data<double>().ToArray();
        using (no_grad())
        {
            // Restored bit for bit, not moved back: the next column starts from exactly the same weights.
            entry.copy_(saved);
        }

        return gradient;
    }

    private static double[,] Dense(Tensor matrix)
    {
        int n = (int)matrix.shape[0];
        var values = matrix.contiguous().data<double>().ToArray();
        var result = new double[n, n];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++)
            {
                result[i, j] = values[(i * n) + j];
            }
        }

        return result;
    }

    private static double Relative(double actual, double expected) => Math.Abs(actual - expected) / Math.Abs(expected);

    private static void Close(double[] actual, double[] expected)
    {
        actual.Should().HaveCount(expected.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            actual[i].Should().BeApproximately(expected[i], 1e-12, $"eigenvalue {i} of [{string.Join(", ", expected)}]");
        }
    }
}
