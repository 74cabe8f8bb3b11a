namespace Grokking.Landscape;

/// <summary>
/// Eigenvalues of a small symmetric tridiagonal matrix (a Lanczos T) by the QL algorithm with implicit Wilkinson
/// shifts, in doubles. Written out here rather than taken from torch so that the Ritz values do not depend on the
/// dtype or device the Lanczos vectors were built in, and so that no LAPACK build differences enter the extremes.
/// </summary>
public static class SymmetricTridiagonal
{
    /// <summary>Sweeps allowed per eigenvalue; QL with Wilkinson shifts converges cubically, in two or three.</summary>
    private const int MaxSweeps = 60;

    /// <summary>2^-52: an off-diagonal entry below this times its neighbours' diagonal is zero to working precision.</summary>
    private const double MachineEpsilon = 2.220446049250313e-16;

    /// <summary>
    /// All eigenvalues, ascending, of the matrix with <paramref name="diagonal"/> (n entries) and
    /// <paramref name="offDiagonal"/> (n - 1 entries, element i couples rows i and i + 1). A zero off-diagonal
    /// entry (a Lanczos breakdown) splits the matrix into independent blocks, which the deflation test handles.
    /// </summary>
    public static double[] Eigenvalues(IReadOnlyList<double> diagonal, IReadOnlyList<double> offDiagonal)
    {
        ArgumentNullException.ThrowIfNull(diagonal);
        ArgumentNullException.ThrowIfNull(offDiagonal);
        int n = diagonal.Count;
        if (n == 0)
        {
            return [];
        }

        if (offDiagonal.Count != n - 1)
        {
            throw new ArgumentException(
                $"a {n}x{n} tridiagonal matrix has {n - 1} off-diagonal entries, got {offDiagonal.Count}", nameof(offDiagonal));
        }

        if (diagonal.Any(x => !double.IsFinite(x)) || offDiagonal.Any(x => !double.IsFinite(x)))
        {
            throw new ArgumentException("the tridiagonal matrix has a non-finite entry (NaN or infinity in the Hessian-vector products)");
        }

        double[] d = [.. diagonal];
        // e[i] couples i and i + 1; e[n - 1] = 0 is the sentinel the sweep below writes into.
        double[] e = [.. offDiagonal, 0.0];
        for (int l = 0; l < n; l++)
        {
            int sweeps = 0;
            while (true)
            {
                // The first negligible off-diagonal entry at or after l closes the unreduced block [l, m].
                int m = l;
                while (m < n - 1 && Math.Abs(e[m]) > MachineEpsilon * (Math.Abs(d[m]) + Math.Abs(d[m + 1])))
                {
                    m++;
                }

                if (m == l)
                {
                    break;
                }

                if (++sweeps > MaxSweeps)
                {
                    throw new InvalidOperationException(
                        $"the tridiagonal QL iteration did not converge within {MaxSweeps} sweeps for eigenvalue {l}");
                }

                Sweep(d, e, l, m);
            }
        }

        Array.Sort(d);
        return d;
    }

    /// <summary>One implicit QL sweep over the unreduced block [l, m] with a Wilkinson shift from its top 2x2.</summary>
    private static void Sweep(double[] d, double[] e, int l, int m)
    {
        double g = (d[l + 1] - d[l]) / (2.0 * e[l]);
        double r = Hypot(g, 1.0);
        g = d[m] - d[l] + (e[l] / (g + (g >= 0 ? Math.Abs(r) : -Math.Abs(r))));
        double s = 1.0;
        double c = 1.0;
        double p = 0.0;
        for (int i = m - 1; i >= l; i--)
        {
            double f = s * e[i];
            double b = c * e[i];
            r = Hypot(f, g);
            e[i + 1] = r;
            if (r == 0.0)
            {
                // Underflow: the rotation is the identity; deflate here and let the caller rescan.
                d[i + 1] -= p;
                e[m] = 0.0;
                return;
            }

            s = f / r;
            c = g / r;
            g = d[i + 1] - p;
            r = ((d[i] - g) * s) + (2.0 * c * b);
            p = s * r;
            d[i + 1] = g + p;
            g = (c * r) - b;
        }

        d[l] -= p;
        e[l] = g;
        e[m] = 0.0;
    }

    private static double Hypot(double a, double b)
    {
        double x = Math.Abs(a);
        double y = Math.Abs(b);
        if (x < y)
        {
            (x, y) = (y, x);
        }

        if (x == 0.0)
        {
            return 0.0;
        }

        double t = y / x;
        return x * Math.Sqrt(1.0 + (t * t));
    }
}
