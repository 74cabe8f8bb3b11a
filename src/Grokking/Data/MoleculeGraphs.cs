namespace Grokking.Data;

/// <summary>
/// Molecules packed as dense, padded graphs for batched tensors: row-major [N, atoms, 11 + 1 + 4 * atoms]. Row i of a
/// molecule holds atom i's 11 node features, a mask 1, then one adjacency row per bond type (single, double, triple,
/// aromatic), each <c>atoms</c> wide, with 1 at column j when atoms i and j share a bond of that type, in both rows
/// (bonds are undirected, as PyG stores each in both directions). Rows past a molecule's last atom are all zeros, mask
/// included, so a model can ignore them.
/// </summary>
public static class MoleculeGraphs
{
    public const int BondTypes = 4;

    /// <summary>The length of one atom row: features, mask, and <see cref="BondTypes"/> adjacency rows.</summary>
    public static int Width(int atoms) => Qm9Molecules.FeatureCount + 1 + (BondTypes * atoms);

    /// <summary>The largest molecule's atom count (0 for none): the least <c>atoms</c> that <see cref="Pack"/> accepts.</summary>
    public static int MaxAtoms(IReadOnlyList<Molecule> molecules)
    {
        ArgumentNullException.ThrowIfNull(molecules);
        return molecules.Count == 0 ? 0 : molecules.Max(m => m.Atoms);
    }

    public static float[] Pack(IReadOnlyList<Molecule> molecules, int atoms)
    {
        ArgumentNullException.ThrowIfNull(molecules);
        ArgumentOutOfRangeException.ThrowIfLessThan(atoms, 1);
        int width = Width(atoms);
        long total = (long)molecules.Count * atoms * width;
        if (total > Array.MaxLength)
        {
            throw new ArgumentOutOfRangeException(
                nameof(molecules), $"{molecules.Count} molecules of {atoms} atoms need {total} values, too many for one array");
        }

        var packed = new float[total];
        for (int m = 0; m < molecules.Count; m++)
        {
            Write(molecules[m], packed, (long)m * atoms * width, atoms, width);
        }

        return packed;
    }

    private static void Write(Molecule molecule, float[] packed, long offset, int atoms, int width)
    {
        const int Features = Qm9Molecules.FeatureCount;
        int n = molecule.Atoms;
        if (n > atoms || molecule.NodeFeatures.GetLength(1) != Features)
        {
            throw new ArgumentException(
                $"molecule {molecule.Name} has {n} atoms of {molecule.NodeFeatures.GetLength(1)} features; at most {atoms} atoms of {Features} fit");
        }

        for (int i = 0; i < n; i++)
        {
            long row = offset + ((long)i * width);
            for (int f = 0; f < Features; f++)
            {
                packed[row + f] = molecule.NodeFeatures[i, f];
            }

            packed[row + Features] = 1;
        }

        foreach (var (from, to, type) in molecule.Bonds)
        {
            if (from < 0 || from >= n || to < 0 || to >= n || type < 0 || type >= BondTypes)
            {
                throw new ArgumentException(
                    $"molecule {molecule.Name} has a bond ({from}, {to}, type {type}) outside its {n} atoms and {BondTypes} types");
            }

            long block = Features + 1 + ((long)type * atoms);
            packed[offset + ((long)from * width) + block + to] = 1;
            packed[offset + ((long)to * width) + block + from] = 1;
        }
    }
}
