using Grokking.Runtime;
using static TorchSharp.torch;

namespace Grokking.Landscape;

/// <summary>
/// PCA of an optimization trajectory (rows θ_t − θ_T, one per checkpoint) computed from its T×T Gram matrix, as
/// claim PG-4 ("the first two components hold more than 98% of the variance") needs it: the numbers are sklearn's
/// <c>PCA</c> on the dense [checkpoints × parameters] matrix (columns centered by their mean), which is never built.
/// <para>
/// Why it works: with J = I − 11ᵀ/T the centered data is J X and its Gram matrix is J G J = (J X)(J X)ᵀ, which has the
/// same nonzero eigenvalues λ_i as (J X)ᵀ(J X) = (T − 1) · covariance. So sklearn's <c>explained_variance_</c> is
/// λ_i / (T − 1) and its ratio is λ_i / trace(J G J); the eigenvector u_i of J G J is the left singular vector of J X,
/// so checkpoint t sits at sqrt(λ_i) · u_i[t] on component i (sklearn's <c>transform</c>, up to the sign of each axis).
/// Centering has a null vector (the all-ones), so at most T − 1 components are nonzero.
/// </para>
/// </summary>
public sealed class TrajectoryPca
{
    private TrajectoryPca(double[] variances, double[] ratios, (double First, double Second)[] coordinates)
    {
        Variances = variances;
        ExplainedVarianceRatio = ratios;
        Coordinates = coordinates;
    }

    /// <summary>T: the number of checkpoints (rows).</summary>
    public int Rows => Coordinates.Count;

    /// <summary>
    /// Variance along each component, descending, T − 1 of them: eigenvalue / (T − 1), as sklearn's
    /// <c>explained_variance_</c>. Rounding can leave an exactly-zero variance at about −1e-16 of the largest;
    /// such values are reported as 0.
    /// </summary>
    public IReadOnlyList<double> Variances { get; }

    /// <summary>
    /// Share of the total variance along each component, descending, T − 1 of them (sklearn's
    /// <c>explained_variance_ratio_</c>). NaN when every checkpoint is the same point (no variance to share), as in
    /// sklearn.
    /// </summary>
    public IReadOnlyList<double> ExplainedVarianceRatio { get; }

    /// <summary>Share of the first two components (the first alone when T = 2): the number PG-4 compares with 0.98.</summary>
    public double TopTwoShare => ExplainedVarianceRatio.Take(2).Sum();

    /// <summary>
    /// Each checkpoint's coordinates on the first two components, in checkpoint order (the trajectory figure): the
    /// centered point projected on the principal axes. Each axis's sign is a convention (the checkpoint farthest
    /// along the axis has a positive coordinate), so the figure may be sklearn's mirrored; distances are the same.
    /// The second coordinate is 0 when T = 2 (one component).
    /// </summary>
    public IReadOnlyList<(double First, double Second)> Coordinates { get; }

    /// <summary>PCA from the Gram matrix G[s, t] = ⟨x_s, x_t⟩ of the T row vectors (uncentered; T ≥ 2).</summary>
    public static TrajectoryPca FromGram(double[,] gram)
    {
        ArgumentNullException.ThrowIfNull(gram);
        int n = gram.GetLength(0);
        if (gram.GetLength(1) != n)
        {
            throw new ArgumentException($"a Gram matrix is square, not {n}×{gram.GetLength(1)}", nameof(gram));
        }

        if (n < 2)
        {
            throw new ArgumentException("a trajectory with fewer than two checkpoints has no variance", nameof(gram));
        }

        var centered = Centered(gram);
        double trace = 0;
        for (int i = 0; i < n; i++)
        {
            trace += centered[i, i];
        }

        var (values, vectors) = SymmetricEigen.Decompose(centered);
        int components = n - 1;
        var variances = new double[components];
        var ratios = new double[components];
        for (int i = 0; i < components; i++)
        {
            double lambda = Math.Max(values[i], 0);
            variances[i] = lambda / (n - 1);
            ratios[i] = trace > 0 ? lambda / trace : double.NaN;
        }

        var coordinates = new (double First, double Second)[n];
        for (int axis = 0; axis < Math.Min(2, components); axis++)
        {
            double scale = Math.Sqrt(Math.Max(values[axis], 0));
            int largest = 0;
            for (int t = 1; t < n; t++)
            {
                if (Math.Abs(vectors[t, axis]) > Math.Abs(vectors[largest, axis]))
                {
                    largest = t;
                }
            }

            double sign = vectors[largest, axis] < 0 ? -1 : 1;
            for (int t = 0; t < n; t++)
            {
                double c = sign * scale * vectors[t, axis];
                coordinates[t] = axis == 0 ? (c, coordinates[t].Second) : (coordinates[t].First, c);
            }
        }

        return new TrajectoryPca(variances, ratios, coordinates);
    }

    /// <summary>
    /// One PCA per member of the trajectory through <paramref name="checkpoints"/> (each: name -> [K, ...], all with
    /// the same names and shapes, in trajectory order), on the rows θ_t − θ_T with T the last checkpoint, as the
    /// paper does. The Gram matrices are accumulated one parameter at a time (that parameter stacked over the
    /// checkpoints, [T, K, size]), so memory is one parameter's trajectory, never the whole one.
    /// <para>
    /// Subtracting θ_T does not change the PCA (centering removes any common offset) but it matters in floating point:
    /// the Gram matrix of the raw weights has entries near |θ|², and centering it would cancel them down to the much
    /// smaller variances of the path, losing the digits the small components live in.
    /// </para>
    /// </summary>
    public static IReadOnlyList<TrajectoryPca> Of(IReadOnlyList<IReadOnlyDictionary<string, Tensor>> checkpoints, int members)
    {
        ArgumentNullException.ThrowIfNull(checkpoints);
        if (checkpoints.Count < 2)
        {
            throw new ArgumentException("a trajectory needs at least two checkpoints", nameof(checkpoints));
        }

        var names = checkpoints[^1].Keys.Order(StringComparer.Ordinal).ToList();
        if (names.Count == 0)
        {
            throw new ArgumentException("the checkpoints have no parameters", nameof(checkpoints));
        }

        if (checkpoints.Any(c => c.Count != names.Count))
        {
            throw new ArgumentException("every checkpoint has the same parameter names", nameof(checkpoints));
        }

        int rows = checkpoints.Count;
        var device = checkpoints[^1][names[0]].device;
        using var gram = new TrajectoryGram(rows, members, device);
        foreach (var name in names)
        {
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            var last = checkpoints[^1][name];
            if (last.dim() < 1 || last.shape[0] != members)
            {
                throw new ArgumentException($"parameter '{name}' is {ShapeText.Of(last.shape)}, not [members = {members}, ...]", nameof(checkpoints));
            }

            var rowsOfName = new Tensor[rows];
            for (int t = 0; t < rows; t++)
            {
                if (!checkpoints[t].TryGetValue(name, out var value) || !value.shape.SequenceEqual(last.shape))
                {
                    throw new ArgumentException($"checkpoint {t} has no parameter '{name}' shaped {ShapeText.Of(last.shape)}", nameof(checkpoints));
                }

                rowsOfName[t] = value.detach();
            }

            // Differences in float64: float32 weights subtracted in float32 would round the small steps of a path.
            var stacked = stack(rowsOfName).to(ScalarType.Float64).reshape(rows, members, -1);
            var final = stacked[rows - 1].clone();
            gram.Add(stacked.PlusScaledInPlace(final, -1.0));
        }

        return gram.Gram().Select(FromGram).ToList();
    }

    // J G J with J = I − 11ᵀ/T: G[s, t] − mean of row s − mean of column t + mean of all (G is symmetric, so the row
    // and column means are the same vector).
    private static double[,] Centered(double[,] gram)
    {
        int n = gram.GetLength(0);
        var rowMean = new double[n];
        var colMean = new double[n];
        double mean = 0;
        for (int s = 0; s < n; s++)
        {
            for (int t = 0; t < n; t++)
            {
                rowMean[s] += gram[s, t] / n;
                colMean[t] += gram[s, t] / n;
                mean += gram[s, t] / ((double)n * n);
            }
        }

        var centered = new double[n, n];
        for (int s = 0; s < n; s++)
        {
            for (int t = 0; t < n; t++)
            {
                centered[s, t] = gram[s, t] - rowMean[s] - colMean[t] + mean;
            }
        }

        return centered;
    }
}
