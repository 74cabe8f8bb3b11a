using System.Globalization;
using Grokking.Data;

namespace Grokking.Tests.Unit.Engine;

/// <summary>
/// QM9's three raw files written here in their real layouts (V2000 SDF records, the 20-column CSV, the uncharacterized
/// list with its 9 header lines) for five small molecules, read back as PyG's QM9 graphs and packed as dense arrays.
/// </summary>
public class Qm9MoleculesTests
{
    private const string CsvHeader = "mol_id,A,B,C,mu,alpha,homo,lumo,gap,r2,zpve,u0,u298,h298,g298,cv,u0_atom,u298_atom,h298_atom,g298_atom";

    /// <summary>gdb_1 methane, gdb_2 ammonia (listed as uncharacterized), gdb_3 water (atoms H O H), gdb_4 formaldehyde, gdb_5 HCN.</summary>
    private static readonly (string Name, (string Symbol, double X, double Y, double Z)[] Atoms, (int A, int B, int Type)[] Bonds, double Alpha)[]
        Fixture =
        [
            ("gdb_1", [("C", 0, 0, 0), ("H", 0.629, 0.629, 0.629), ("H", -0.629, -0.629, 0.629), ("H", -0.629, 0.629, -0.629),
                ("H", 0.629, -0.629, -0.629)], [(1, 2, 1), (1, 3, 1), (1, 4, 1), (1, 5, 1)], 13.21),
            ("gdb_2", [("N", 0, 0, 0.1), ("H", 0.94, 0, -0.27), ("H", -0.47, 0.814, -0.27), ("H", -0.47, -0.814, -0.27)],
                [(1, 2, 1), (1, 3, 1), (1, 4, 1)], 9.46),
            ("gdb_3", [("H", 0, 0.757, -0.469), ("O", 0, 0, 0.117), ("H", 0, -0.757, -0.469)], [(1, 2, 1), (2, 3, 1)], 6.31),
            ("gdb_4", [("C", 0, 0, -0.53), ("O", 0, 0, 0.68), ("H", 0, 0.94, -1.11), ("H", 0, -0.94, -1.11)],
                [(1, 2, 2), (1, 3, 1), (1, 4, 1)], 12.5),
            ("gdb_5", [("H", 0, 0, -1.63), ("C", 0, 0, -0.57), ("N", 0, 0, 0.58)], [(2, 1, 1), (2, 3, 3)], 14.75),
        ];

    private static string Inv(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);

    private static string Sdf() => string.Concat(Fixture.Select(m =>
        string.Join("\n", [
            m.Name, "     RDKit          3D", "", Inv($"{m.Atoms.Length,3}{m.Bonds.Length,3}  0  0  0  0  0  0  0  0999 V2000"),
            .. m.Atoms.Select(a => Inv($"{a.X,10:F4}{a.Y,10:F4}{a.Z,10:F4} {a.Symbol,-3} 0  0  0  0  0  0  0  0  0  0  0  0")),
            .. m.Bonds.Select(b => Inv($"{b.A,3}{b.B,3}{b.Type,3}  0")),
            "M  END", "$$$$", ""])));

    /// <summary>homo, lumo, gap, r2, zpve, u0, u298, h298, g298, cv, u0_atom, u298_atom, h298_atom, g298_atom (made up).</summary>
    private const string Rest = "-0.3877,0.1171,0.5048,35.36,0.0447,-40.47,-40.47,-40.47,-40.49,6.469,-395.9,-398.6,-401.0,-372.4";

    private static string Csv() => string.Join("\n", [
        CsvHeader,
        .. Fixture.Select((m, k) => Inv($"{m.Name},157.7,157.7,157.7,{k * 0.5:F4},{m.Alpha},") + Rest),
        ""]);

    /// <summary>The real file's layout: 9 header lines, one line per molecule (index first), a closing rule, a final line break.</summary>
    private static string Uncharacterized() => string.Join("\n", [
        "",
        "List of molecules among the 133885 GDB9 molecules for which the Corina generated Cartesian coordinates and the",
        "B3LYP/6-31G(2df,p) equilibrium geometry lead to different SMILES and InChI strings when parsed through Openbabel.",
        "Given are the indices of these molecules in the database, the original GDB17 SMILES, the SMILES of both geometries,",
        "and the L1 norm of the difference between the Coulomb matrices.",
        "",
        new string('=', 80),
        "#   Index          GDB17 SMILES     SMILES for B3LYP XYZ     SMILES for Corina generated XYZ     D_IJ",
        new string('=', 80),
        "       2                     N                        N                               [NH3]     1.234567",
        new string('=', 80),
        ""]);

    internal static string Qm9Directory(Func<string, string>? sdf = null, Func<string, string>? csv = null, Func<string, string>? skip = null)
    {
        string dir = EngineFixtures.TempDirectory();
        File.WriteAllText(Path.Combine(dir, Qm9Molecules.SdfName), (sdf ?? (s => s))(Sdf()));
        File.WriteAllText(Path.Combine(dir, Qm9Molecules.CsvName), (csv ?? (s => s))(Csv()));
        File.WriteAllText(Path.Combine(dir, Qm9Molecules.UncharacterizedName), (skip ?? (s => s))(Uncharacterized()));
        return dir;
    }

    private static float[] Row(float[,] x, int i) => [.. Enumerable.Range(0, x.GetLength(1)).Select(f => x[i, f])];

    [Fact]
    public void Characterized_molecules_come_in_sdf_order_with_pyg_features_bonds_and_alpha()
    {
        var molecules = Qm9Molecules.Read(Qm9Directory(), 4);

        molecules.Select(m => m.Name).Should().Equal("gdb_1", "gdb_3", "gdb_4", "gdb_5");
        molecules.Select(m => m.Alpha).Should().Equal(13.21, 6.31, 12.5, 14.75);
        molecules.Select(m => m.Atoms).Should().Equal(5, 3, 4, 3);
        // One-hot H C N O F, atomic number, aromatic, sp, sp2, sp3 (all 0, as PyG's unsanitized RDKit gives), H neighbours.
        Row(molecules[0].NodeFeatures, 0).Should().Equal(0, 1, 0, 0, 0, 6, 0, 0, 0, 0, 4);
        Row(molecules[0].NodeFeatures, 3).Should().Equal(1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0);
        Row(molecules[1].NodeFeatures, 1).Should().Equal(0, 0, 0, 1, 0, 8, 0, 0, 0, 0, 2);
        Row(molecules[2].NodeFeatures, 0).Should().Equal(0, 1, 0, 0, 0, 6, 0, 0, 0, 0, 2);
        Row(molecules[2].NodeFeatures, 1).Should().Equal(0, 0, 0, 1, 0, 8, 0, 0, 0, 0, 0);
        Row(molecules[3].NodeFeatures, 1).Should().Equal(0, 1, 0, 0, 0, 6, 0, 0, 0, 0, 1);
        Row(molecules[3].NodeFeatures, 2).Should().Equal(0, 0, 1, 0, 0, 7, 0, 0, 0, 0, 0);
        // Each bond once, 0-based, as written; types 0 single, 1 double, 2 triple.
        molecules[2].Bonds.Should().Equal((0, 1, 1), (0, 2, 0), (0, 3, 0));
        molecules[3].Bonds.Should().Equal((1, 0, 0), (1, 2, 2));
    }

    [Fact]
    public void Reading_stops_after_the_molecules_asked_for()
    {
        // Everything after gdb_3 is damaged: two molecules need only gdb_1 to gdb_3 (gdb_2 read past, uncharacterized).
        string dir = Qm9Directory(
            sdf: s => s[..(s.IndexOf("gdb_4", StringComparison.Ordinal) + 5)] + "\ngarbage", csv: c => c.Replace("gdb_4", "gdb_x"));

        Qm9Molecules.Read(dir, 2).Select(m => m.Name).Should().Equal("gdb_1", "gdb_3");
        Qm9Molecules.Read(dir, 0).Should().BeEmpty();
        FluentActions.Invoking(() => Qm9Molecules.Read(dir, 3)).Should().Throw<InvalidDataException>();
        FluentActions.Invoking(() => Qm9Molecules.Read(Qm9Directory(), 5)).Should().Throw<InvalidDataException>()
            .WithMessage("*gdb9.sdf: ends after 5 molecules (4 characterized); 5 were asked for");
    }

    [Fact]
    public void The_files_may_sit_in_a_raw_folder_and_a_directory_without_them_is_named()
    {
        string root = EngineFixtures.TempDirectory();
        Directory.Move(Qm9Directory(), Path.Combine(root, "raw"));

        Qm9Molecules.Missing(root).Should().BeNull();
        Qm9Molecules.Read(root, 1).Single().Name.Should().Be("gdb_1");

        string empty = EngineFixtures.TempDirectory();
        string? missing = Qm9Molecules.Missing(empty);
        missing.Should().Contain(empty).And.Contain("gdb9.sdf").And.Contain("gdb9.sdf.csv").And.Contain("uncharacterized.txt");
        FluentActions.Invoking(() => Qm9Molecules.Read(empty, 1)).Should().Throw<FileNotFoundException>().WithMessage(missing);
    }

    public static TheoryData<string, Func<string, string>?, Func<string, string>?, Func<string, string>?, string> Damages() => new()
    {
        {
            "gdb9.sdf", s => s.Replace("  1  5  1  0", "  1  9  1  0"), null, null,
            "molecule gdb_1 (line 13): the second atom of bond 4 is '9', expected an integer from 1 to 5"
        },
        { "gdb9.sdf", s => s.Replace(" O   0", " Cl  0"), null, null, "molecule gdb_3: atom 2 is 'Cl', not one of*" },
        { "gdb9.sdf", s => s[..s.IndexOf("    0.6290 ", StringComparison.Ordinal)], null, null, "molecule gdb_1 (line 6): ends before atom 2" },
        { "gdb9.sdf", s => s.Replace("  2  3  3  0", "  2  3  5  0"), null, null, "molecule gdb_5*the type of bond 2*'5'*" },
        { "gdb9.sdf.csv", null, c => c.Replace("mol_id,", "id,"), null, "header 'id,A,B,C,*" },
        { "gdb9.sdf.csv", null, c => c.Replace("gdb_3,", "gdb_33,"), null, "row 3 (molecule gdb_3): mol_id is 'gdb_33'*" },
        { "gdb9.sdf.csv", null, c => c.Replace(",12.5,", ",abc,"), null, "row 4 (molecule gdb_4): alpha 'abc' is not a number" },
        { "gdb9.sdf.csv", null, c => c[..c.IndexOf("gdb_2", StringComparison.Ordinal)], null, "ends before the row of molecule gdb_2" },
        { "uncharacterized.txt", null, null, u => u.Replace("       2    ", "      two   "), "line 10 does not start with a molecule's index*" },
        { "uncharacterized.txt", null, null, u => "\n\n\n", "4 lines; expected 9 header lines*" },
    };

    [Theory]
    [MemberData(nameof(Damages))]
    public void A_damaged_raw_file_fails_with_one_line_naming_the_file_and_the_damage(
        string file, Func<string, string>? sdf, Func<string, string>? csv, Func<string, string>? skip, string damage)
    {
        string dir = Qm9Directory(sdf, csv, skip);
        string path = Path.Combine(dir, file);

        var e = FluentActions.Invoking(() => Qm9Molecules.Read(dir, 4)).Should().Throw<InvalidDataException>().Which;

        e.Message.Should().NotContain("\n");
        e.Message.Should().Match($"{path}: {damage}");
    }

    [Fact]
    public void Packing_gives_features_a_mask_and_symmetric_adjacency_per_bond_type_with_zero_padding()
    {
        var molecules = Qm9Molecules.Read(Qm9Directory(), 4);
        int atoms = MoleculeGraphs.MaxAtoms(molecules);
        int width = MoleculeGraphs.Width(atoms);

        float[] packed = MoleculeGraphs.Pack(molecules, atoms);

        atoms.Should().Be(5);
        width.Should().Be(11 + 1 + (4 * 5));
        packed.Should().HaveCount(4 * 5 * width);
        float At(int m, int i, int column) => packed[(((m * atoms) + i) * width) + column];
        float Bond(int m, int i, int type, int j) => At(m, i, 12 + (type * atoms) + j);
        Enumerable.Range(0, 12).Select(c => At(0, 0, c)).Should().Equal(0, 1, 0, 0, 0, 6, 0, 0, 0, 0, 4, 1);
        Enumerable.Range(1, 4).Select(j => Bond(0, 0, 0, j)).Should().AllBeEquivalentTo(1f);
        Enumerable.Range(1, 4).Select(i => Bond(0, i, 0, 0)).Should().AllBeEquivalentTo(1f);
        Bond(2, 0, 1, 1).Should().Be(1);
        Bond(2, 1, 1, 0).Should().Be(1);
        Bond(2, 0, 0, 1).Should().Be(0);
        Bond(3, 1, 2, 2).Should().Be(1);
        Bond(3, 2, 2, 1).Should().Be(1);
        // Water has 3 atoms: its rows 3 and 4 are padding, mask included.
        Enumerable.Range(3, 2).SelectMany(i => Enumerable.Range(0, width).Select(c => At(1, i, c))).Should().AllBeEquivalentTo(0f);
        At(1, 2, 11).Should().Be(1);
        for (int m = 0; m < 4; m++)
        {
            for (int t = 0; t < 4; t++)
            {
                for (int i = 0; i < atoms; i++)
                {
                    for (int j = 0; j < atoms; j++)
                    {
                        Bond(m, i, t, j).Should().Be(Bond(m, j, t, i));
                    }
                }
            }
        }

        packed.Count(v => v != 0 && v != 1 && v != 6 && v != 8 && v != 7 && v != 2 && v != 4).Should().Be(0);
        FluentActions.Invoking(() => MoleculeGraphs.Pack(molecules, 4)).Should().Throw<ArgumentException>().WithMessage("*gdb_1 has 5 atoms*");
    }
}
