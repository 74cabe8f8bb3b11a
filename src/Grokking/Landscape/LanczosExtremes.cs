using Grokking.Runtime;
using static TorchSharp.torch;

namespace Grokking.Landscape;

/// <summary>
/// The extreme eigenvalues of every member's Hessian at once (claim PG-6): batched Lanczos with full
/// reorthogonalization over K members, vectors [K, n], each member with its own α (diagonal) and β (off-diagonal)
/// coefficients, from one Hessian-vector product per step for the whole population.
/// <para>
/// Full reorthogonalization (classical Gram-Schmidt, twice, against every earlier Lanczos vector) keeps the basis
/// orthonormal to working precision, so there are no ghost copies of converged eigenvalues, the tridiagonal T is
/// the Rayleigh quotient QᵀHQ, and with m = n steps its eigenvalues are H's, exactly up to rounding. The basis is
/// kept as one tensor [K, m, n]: memory K·m·n values, which at the default m = 40 is 40 copies of the parameters.
/// </para>
/// <para>
/// A breakdown (β ≈ 0: the Krylov space of a member is invariant, e.g. H has fewer distinct eigenvalues than m, or
/// a zero eigenvalue of multiplicity from a symmetry) is handled per member: its β is recorded as exactly 0, which
/// splits its T into blocks, and it continues from a fresh random vector orthogonalized against its basis, so the
/// remaining steps explore the rest of its space instead of adding spurious zero Ritz values. Other members go on
/// unaffected. The breakdown test runs on the device, without a per-step transfer: each step draws fresh vectors whether
/// or not a member needs one (cheap next to a Hessian-vector product).
/// </para>
/// <para>
/// The paper's λmin (the largest-magnitude eigenvalue of H − σI, σ = 0.51·λmax, plus σ) comes from the same T:
/// Krylov spaces are shift-invariant, so Lanczos on H − σI from the same start vector builds exactly T − σI, and
/// its largest-magnitude Ritz value is the Ritz value θ of T farthest from σ. No second run is needed.
/// </para>
/// </summary>
public static class LanczosExtremes
{
    public const int DefaultIterations = 40;

    /// <summary>The paper's shift: σ = 0.51·λmax.</summary>
    public const double ShiftFraction = 0.51;

    /// <summary>The purpose of the start and restart vectors' streams (beyond <see cref="SeedStreams"/>' own purposes).</summary>
    public const ulong StartVectorPurpose = 0x4C41_4E43;

    /// <summary>A norm floor that is a normal number in float32 too: keeps a zero vector's division finite.</summary>
    private const double Tiny = 1e-30;

    /// <summary>
    /// The extremes of the Hessian of <paramref name="hessian"/>'s per-member loss, one record per member.
    /// </summary>
    /// <param name="seeds">One seed per member: member k's start vector depends on seeds[k] alone, so a member's
    /// result does not depend on the population around it.</param>
    /// <param name="iterations">Lanczos steps m (capped at the number of parameters n; m = n is exact).</param>
    public static IReadOnlyList<HessianExtremes> Compute(HessianVectorProduct hessian, IReadOnlyList<long> seeds, int iterations = DefaultIterations)
    {
        ArgumentNullException.ThrowIfNull(hessian);
        return Compute(hessian.Apply, hessian.Members, hessian.Dimension, hessian.DType, hessian.Device, seeds, iterations);
    }

    /// <summary>
    /// The extremes of a batched symmetric operator: <paramref name="apply"/> maps [K, n] to [K, n], row k by member
    /// k's own symmetric matrix.
    /// </summary>
    public static IReadOnlyList<HessianExtremes> Compute(
        Func<Tensor, Tensor> apply,
        int members,
        long dimension,
        ScalarType dtype,
        Device device,
        IReadOnlyList<long> seeds,
        int iterations = DefaultIterations)
    {
        ArgumentNullException.ThrowIfNull(apply);
        ArgumentNullException.ThrowIfNull(seeds);
        ArgumentNullException.ThrowIfNull(device);
        ArgumentOutOfRangeException.ThrowIfLessThan(members, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(dimension, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(iterations, 1);
        if (seeds.Count != members)
        {
            throw new ArgumentException($"need one seed per member ({members}), got {seeds.Count}", nameof(seeds));
        }

        int steps = (int)Math.Min(iterations, dimension);
        var (alpha, beta, restarts) = Run(apply, members, dimension, dtype, device, seeds, steps);
        return [.. Enumerable.Range(0, members).Select(k => ExtremesOf(
            k,
            [.. Enumerable.Range(0, steps).Select(j => alpha[(j * members) + k])],
            [.. Enumerable.Range(0, steps - 1).Select(j => beta[(j * members) + k])],
            (int)restarts[k]))];
    }

    /// <summary>
    /// The extremes of one member's tridiagonal matrix (diagonal α, off-diagonal β): its smallest and largest Ritz
    /// values, σ = 0.51·λmax, and the Ritz value farthest from σ (the paper's λmin).
    /// </summary>
    public static HessianExtremes ExtremesOf(int member, IReadOnlyList<double> diagonal, IReadOnlyList<double> offDiagonal, int restarts)
    {
        var ritz = SymmetricTridiagonal.Eigenvalues(diagonal, offDiagonal);
        double max = ritz[^1];
        double shift = ShiftFraction * max;
        double farthest = ritz.MaxBy(theta => Math.Abs(theta - shift));
        return new HessianExtremes(member, max, ritz[0], farthest, shift, ritz.Length, restarts);
    }

    /// <summary>α [steps, K] and β [steps, K] (row-major; β's last row unused) and the restarts per member.</summary>
    private static (double[] Alpha, double[] Beta, long[] Restarts) Run(
        Func<Tensor, Tensor> apply, int members, long n, ScalarType dtype, Device device, IReadOnlyList<long> seeds, int steps)
    {
        using var noGrad = no_grad();
        using var recurrence = new Recurrence(members, n, dtype, device, seeds, steps);
        recurrence.Start();
        for (int j = 0; j < steps; j++)
        {
            recurrence.Step(apply, j);
        }

        return recurrence.Read();
    }

    /// <summary>The state of one batched Lanczos run on the device: the basis, α, β, the restarts and ‖T‖ estimates.</summary>
    private sealed class Recurrence : IDisposable
    {
        private readonly long n;
        private readonly ScalarType dtype;
        private readonly Device device;
        private readonly int steps;
        private readonly double tolerance;
        private readonly Generator[] generators;
        private readonly Tensor basis;
        private readonly Tensor alphas;
        private readonly Tensor betas;
        private readonly Tensor restarts;
        private readonly Tensor scale;

        public Recurrence(int members, long n, ScalarType dtype, Device device, IReadOnlyList<long> seeds, int steps)
        {
            this.n = n;
            this.dtype = dtype;
            this.device = device;
            this.steps = steps;

            // β below this fraction of the member's ‖T‖ estimate is a breakdown: well above the orthogonalization
            // noise (a few ε‖H‖), and far below any β that carries information at the resolution of the products.
            tolerance = dtype == ScalarType.Float64 ? 1e-10 : 1e-5;
            generators = seeds.Select(s => SeedStreams.Generator(s, StartVectorPurpose)).ToArray();
            basis = zeros([members, steps, n], dtype, device);
            alphas = zeros([steps, members], ScalarType.Float64, device);
            betas = zeros([steps, members], ScalarType.Float64, device);
            restarts = zeros([members], ScalarType.Int64, device);
            scale = zeros([members], ScalarType.Float64, device);
        }

        public void Start()
        {
            using var scope = NewDisposeScope();
            basis.select(1, 0).copy_(Normalized(Draw(generators, n, dtype, device)));
        }

        /// <summary>α_j from one operator product; below the last step also β_j and q_{j+1} (a fresh vector on a breakdown).</summary>
        public void Step(Func<Tensor, Tensor> apply, int j)
        {
            using var scope = NewDisposeScope();
            var q = basis.select(1, j);
            var w = apply(q);
            var alpha = q.mul(w).sum(1);
            alphas.select(0, j).copy_(alpha);
            if (j + 1 == steps)
            {
                return;
            }

            var span = basis.narrow(1, 0, j + 1);
            // Full reorthogonalization also removes α q_j and β q_{j-1}, the three-term recurrence's own terms.
            w = Orthogonalized(Orthogonalized(w, span), span);
            var norm = w.Squared().sum(1).sqrt();
            var norm64 = norm.to(ScalarType.Float64);
            scale.copy_(maximum(scale, maximum(alpha.to(ScalarType.Float64).abs(), norm64)));
            var broken = norm64.le(scale.Times(tolerance));

            var continued = w.div(norm.ClampMin(Tiny).unsqueeze(1));
            var next = where(broken.unsqueeze(1), Draw(generators, n, dtype, device), continued);
            // Once more after normalizing: a fresh vector needs it, and a continued one that lost most of its norm to
            // the projections keeps its orthogonality only relative to its old length.
            basis.select(1, j + 1).copy_(Normalized(Orthogonalized(Orthogonalized(next, span), span)));
            betas.select(0, j).copy_(norm64.FillWhere(broken, 0.0));
            restarts.PlusInPlace(broken.to(ScalarType.Int64));
        }

        /// <summary>One transfer for the whole run.</summary>
        public (double[] Alpha, double[] Beta, long[] Restarts) Read()
        {
            using var a = alphas.cpu();
            using var b = betas.cpu();
            using var r = restarts.cpu();
            return (a.data<double>().ToArray(), b.data<double>().ToArray(), r.data<long>().ToArray());
        }

        public void Dispose()
        {
            foreach (var g in generators)
            {
                g.Dispose();
            }

            basis.Dispose();
            alphas.Dispose();
            betas.Dispose();
            restarts.Dispose();
            scale.Dispose();
        }
    }

    /// <summary>v minus its projection on the rows of basis [K, j, n], per member.</summary>
    private static Tensor Orthogonalized(Tensor v, Tensor basis)
    {
        var coefficients = basis.bmm(v.unsqueeze(2));
        return v.sub(basis.transpose(1, 2).bmm(coefficients).squeeze(2));
    }

    private static Tensor Normalized(Tensor v) => v.div(v.Squared().sum(1, keepdim: true).sqrt().ClampMin(Tiny));

    /// <summary>
    /// One standard normal vector per member from that member's generator, drawn in float64 on the CPU so that a
    /// member's start vector is the same on every device and, up to rounding, at every dtype.
    /// </summary>
    private static Tensor Draw(Generator[] generators, long n, ScalarType dtype, Device device)
    {
        var rows = generators.Select(g => randn([n], ScalarType.Float64, CPU, generator: g)).ToArray();
        return stack(rows).to(dtype, device);
    }
}
