using Grokking.Landscape;

namespace Grokking.Tests.Unit.Landscape;

/// <summary>
/// Eigenvalues of a dense symmetric matrix by the cyclic Jacobi method (<see cref="SymmetricEigen"/>): the reference
/// the Lanczos extremes are checked against. A different algorithm from the QL sweep on Lanczos' tridiagonal matrix
/// and independent of torch, so an error shared by Lanczos and its eigen solver cannot hide in the comparison.
/// </summary>
internal static class DenseSymmetricEigen
{
    /// <summary>All eigenvalues, ascending. The matrix is symmetrized first (finite-difference Hessians are not exactly).</summary>
    public static double[] Eigenvalues(double[,] matrix)
    {
        int n = matrix.GetLength(0);
        var symmetric = new double[n, n];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++)
            {
                symmetric[i, j] = 0.5 * (matrix[i, j] + matrix[j, i]);
            }
        }

        return [.. SymmetricEigen.Decompose(symmetric).Values.Order()];
    }
}
