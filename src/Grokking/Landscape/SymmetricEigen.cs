namespace Grokking.Landscape;

/// <summary>
/// Eigenvalues and eigenvectors of a small dense symmetric matrix by cyclic Jacobi rotations, in doubles.
/// <para>
/// The matrices here are T×T Gram matrices of a trajectory (T = checkpoints, tens to a few hundred), so an O(T³)
/// solver that is simple, dependency-free and accurate to rounding in every eigenvalue (Jacobi is accurate in the
/// small eigenvalues too, which is what the "share of the top two" needs) beats calling LAPACK through torch, whose
/// results would depend on the backend and device.
/// </para>
/// </summary>
public static class SymmetricEigen
{
    private const int MaxSweeps = 100;

    /// <summary>
    /// Eigen-decomposition of the symmetric <paramref name="matrix"/> (only its symmetric part is used):
    /// <c>Values</c> in descending order and <c>Vectors</c> whose column i is the unit eigenvector of value i.
    /// </summary>
    public static (double[] Values, double[,] Vectors) Decompose(double[,] matrix)
    {
        var a = SymmetricPart(matrix);
        int n = a.GetLength(0);
        var v = new double[n, n];
        for (int i = 0; i < n; i++)
        {
            v[i, i] = 1;
        }

        for (int sweep = 0; sweep < MaxSweeps && !Diagonal(a); sweep++)
        {
            for (int p = 0; p < n - 1; p++)
            {
                for (int q = p + 1; q < n; q++)
                {
                    if (a[p, q] != 0)
                    {
                        Rotate(a, v, p, q);
                    }
                }
            }
        }

        return Descending(a, v);
    }

    /// <summary>(M + Mᵀ) / 2, checked square and finite.</summary>
    private static double[,] SymmetricPart(double[,] matrix)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        int n = matrix.GetLength(0);
        if (matrix.GetLength(1) != n)
        {
            throw new ArgumentException($"the matrix is {n}×{matrix.GetLength(1)}, not square", nameof(matrix));
        }

        var a = new double[n, n];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++)
            {
                // Rounding can leave a Gram matrix a few ulps off symmetric; the solver assumes exact symmetry.
                a[i, j] = 0.5 * (matrix[i, j] + matrix[j, i]);
                if (!double.IsFinite(a[i, j]))
                {
                    throw new ArgumentException($"the matrix has a non-finite entry at ({i}, {j})", nameof(matrix));
                }
            }
        }

        return a;
    }

    /// <summary>Converged: what is left off the diagonal is below rounding of the matrix as a whole.</summary>
    private static bool Diagonal(double[,] a)
    {
        int n = a.GetLength(0);
        double off = 0;
        double total = 0;
        for (int p = 0; p < n; p++)
        {
            total += a[p, p] * a[p, p];
            for (int q = p + 1; q < n; q++)
            {
                off += a[p, q] * a[p, q];
            }
        }

        total += 2 * off;
        return off == 0 || off <= 1e-32 * total;
    }

    /// <summary>The diagonal of the rotated matrix in descending order, with the columns of V in the same order.</summary>
    private static (double[] Values, double[,] Vectors) Descending(double[,] a, double[,] v)
    {
        int n = a.GetLength(0);
        var order = Enumerable.Range(0, n).OrderByDescending(i => a[i, i]).ToArray();
        var values = new double[n];
        var vectors = new double[n, n];
        for (int i = 0; i < n; i++)
        {
            values[i] = a[order[i], order[i]];
            for (int k = 0; k < n; k++)
            {
                vectors[k, i] = v[k, order[i]];
            }
        }

        return (values, vectors);
    }

    // A ← Pᵀ A P and V ← V P for the plane rotation P in (p, q) that zeroes A[p, q] (Numerical Recipes' choice of the
    // smaller rotation angle, which keeps the iteration stable).
    private static void Rotate(double[,] a, double[,] v, int p, int q)
    {
        int n = a.GetLength(0);
        double theta = (a[q, q] - a[p, p]) / (2 * a[p, q]);
        double t = (theta >= 0 ? 1 : -1) / (Math.Abs(theta) + Math.Sqrt((theta * theta) + 1));
        if (double.IsInfinity(theta * theta))
        {
            // |theta| so large that theta² overflows: t ≈ 1 / (2 theta).
            t = 1 / (2 * theta);
        }

        double c = 1 / Math.Sqrt((t * t) + 1);
        double s = t * c;
        for (int k = 0; k < n; k++)
        {
            Rotate(c, s, ref a[k, p], ref a[k, q]); // columns p and q
        }

        for (int k = 0; k < n; k++)
        {
            Rotate(c, s, ref a[p, k], ref a[q, k]); // rows p and q
        }

        // Zero by construction; set it exactly so rounding does not keep the pair alive for another sweep.
        a[p, q] = 0;
        a[q, p] = 0;
        for (int k = 0; k < n; k++)
        {
            Rotate(c, s, ref v[k, p], ref v[k, q]);
        }
    }

    /// <summary>(x, y) ← (c x − s y, s x + c y).</summary>
    private static void Rotate(double c, double s, ref double x, ref double y)
    {
        double x0 = x;
        double y0 = y;
        x = (c * x0) - (s * y0);
        y = (s * x0) + (c * y0);
    }
}
