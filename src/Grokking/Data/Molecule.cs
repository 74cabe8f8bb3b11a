namespace Grokking.Data;

/// <summary>
/// One QM9 molecule as PyTorch Geometric's QM9 dataset gives it: the SDF title (gdb_&lt;n&gt;), one row of 11 node
/// features per atom, hydrogens included, in SDF order (see <see cref="Qm9Molecules"/> for the columns), each bond once
/// with 0-based atom indices and its type (0 single, 1 double, 2 triple, 3 aromatic), and the isotropic polarizability
/// alpha in bohr^3 (PyG's target 1).
/// </summary>
public sealed record Molecule(string Name, float[,] NodeFeatures, IReadOnlyList<(int From, int To, int Type)> Bonds, double Alpha)
{
    public int Atoms => NodeFeatures.GetLength(0);
}
