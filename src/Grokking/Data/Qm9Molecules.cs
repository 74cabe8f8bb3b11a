using System.Globalization;

namespace Grokking.Data;

/// <summary>
/// QM9 molecules as PyTorch Geometric's QM9 dataset builds them from its raw files (torch_geometric/datasets/qm9.py,
/// process()), which is what Omnigrok's QM9 experiment trains on: gdb9.sdf read in order by RDKit with removeHs=False and
/// sanitize=False, skipping the molecules listed in uncharacterized.txt; the targets from gdb9.sdf.csv, row i for
/// molecule i. Node features, 11 per atom: one-hot H, C, N, O, F (0-4), atomic number (5), aromatic (6), sp, sp2, sp3
/// (7-9), number of hydrogen neighbours (10). Columns 6-9 are always 0: unsanitized RDKit perceives no aromaticity and
/// leaves every hybridization UNSPECIFIED (pyg-team/pytorch_geometric issues #2163 and #8370 report them all zero), and
/// gdb9.sdf has no aromatic bonds (#10560). Alpha is the CSV's alpha column (bohr^3), which PyG does not convert.
/// The directory may hold the three files or, as PyG's dataset root does, a raw folder with them.
/// </summary>
public static class Qm9Molecules
{
    public const string SdfName = "gdb9.sdf";
    public const string CsvName = "gdb9.sdf.csv";
    public const string UncharacterizedName = "uncharacterized.txt";
    public const int FeatureCount = 11;
    private const int AtomicNumberColumn = 5;
    private const int HydrogenColumn = 10;
    private const int AlphaColumn = 5;
    private static readonly string[] Symbols = ["H", "C", "N", "O", "F"];
    private static readonly int[] AtomicNumbers = [1, 6, 7, 8, 9];

    /// <summary>The first <paramref name="count"/> characterized molecules, reading no further into the files than they need.</summary>
    public static IReadOnlyList<Molecule> Read(string directory, int count)
    {
        ArgumentNullException.ThrowIfNull(directory);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        string root = Root(directory) ?? throw new FileNotFoundException(Describe(directory));
        var skip = Uncharacterized(Path.Combine(root, UncharacterizedName));
        string sdfPath = Path.Combine(root, SdfName);
        string csvPath = Path.Combine(root, CsvName);
        using var sdf = new SdfReader(sdfPath);
        using var csv = new StreamReader(csvPath);
        CheckHeader(csv.ReadLine(), csvPath);
        var molecules = new List<Molecule>(count);
        for (int i = 0; molecules.Count < count; i++)
        {
            bool keep = !skip.Contains(i);
            var record = sdf.Next(keep)
                ?? throw new InvalidDataException($"{sdfPath}: ends after {i} molecules ({molecules.Count} characterized); {count} were asked for");
            double alpha = Alpha(csv.ReadLine(), csvPath, i, record.Title);
            if (keep)
            {
                molecules.Add(new Molecule(record.Title, Features(record.Title, record.Symbols, record.Bonds, sdfPath), record.Bonds, alpha));
            }
        }

        return molecules;
    }

    /// <summary>Null when the directory (or its raw folder) holds the three raw files; otherwise one line saying what to put where.</summary>
    public static string? Missing(string directory)
    {
        ArgumentNullException.ThrowIfNull(directory);
        return Root(directory) is null ? Describe(directory) : null;
    }

    private static string Describe(string directory) =>
        $"'{directory}' holds no QM9 raw files: expected {SdfName} and {CsvName} (from deepchem's molnet_publish/qm9.zip) and "
        + $"{UncharacterizedName} (figshare file 3195404), in it or in its raw folder as PyTorch Geometric's QM9 root has them";

    private static string? Root(string directory) =>
        new[] { directory, Path.Combine(directory, "raw") }
            .FirstOrDefault(root => new[] { SdfName, CsvName, UncharacterizedName }.All(f => File.Exists(Path.Combine(root, f))));

    /// <summary>
    /// 0-based indices of the uncharacterized molecules. PyG reads them as int(line.split()[0]) - 1 for the lines
    /// f.read().split('\n')[9:-2]: 9 header lines, one line per molecule starting with its 1-based index, then a closing
    /// rule line and the final line break.
    /// </summary>
    internal static HashSet<int> Uncharacterized(string path)
    {
        string[] lines = File.ReadAllText(path).Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        if (lines.Length < 11)
        {
            throw new InvalidDataException($"{path}: {lines.Length} lines; expected 9 header lines, the molecules and a closing line");
        }

        var skip = new HashSet<int>();
        for (int k = 9; k < lines.Length - 2; k++)
        {
            string first = lines[k].Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).FirstOrDefault() ?? "";
            if (!int.TryParse(first, NumberStyles.None, CultureInfo.InvariantCulture, out int index) || index < 1)
            {
                throw new InvalidDataException(
                    $"{path}: line {k + 1} does not start with a molecule's index (PyG reads lines 10 to the second-last this way): "
                    + $"'{ImdbReviews.Shorten(lines[k].Trim())}'");
            }

            skip.Add(index - 1);
        }

        return skip;
    }

    private static void CheckHeader(string? header, string path)
    {
        string[] columns = header?.Split(',') ?? [];
        if (columns.Length < 20 || columns[0] != "mol_id" || columns[AlphaColumn] != "alpha")
        {
            throw new InvalidDataException(
                $"{path}: header '{ImdbReviews.Shorten(header ?? "")}'; expected mol_id,A,B,C,mu,alpha,... (20 columns, alpha 6th)");
        }
    }

    /// <summary>Alpha from the CSV row of molecule <paramref name="index"/>, whose mol_id must be the SDF title.</summary>
    private static double Alpha(string? row, string path, int index, string name)
    {
        string[] fields = row?.Split(',') ?? [];
        string where = $"{path}: row {index + 1} (molecule {name})";
        if (fields.Length < 20)
        {
            throw new InvalidDataException(
                row is null ? $"{path}: ends before the row of molecule {name}" : $"{where}: {fields.Length} fields, expected 20");
        }

        if (fields[0].Trim() != name)
        {
            throw new InvalidDataException($"{where}: mol_id is '{ImdbReviews.Shorten(fields[0])}'; rows must follow {SdfName}'s order");
        }

        return double.TryParse(fields[AlphaColumn], NumberStyles.Float, CultureInfo.InvariantCulture, out double alpha)
            ? alpha
            : throw new InvalidDataException($"{where}: alpha '{ImdbReviews.Shorten(fields[AlphaColumn])}' is not a number");
    }

    private static float[,] Features(string name, string[] symbols, List<(int From, int To, int Type)> bonds, string path)
    {
        var x = new float[symbols.Length, FeatureCount];
        for (int a = 0; a < symbols.Length; a++)
        {
            int type = Array.IndexOf(Symbols, symbols[a]);
            if (type < 0)
            {
                throw new InvalidDataException($"{path}: molecule {name}: atom {a + 1} is '{symbols[a]}', not one of PyG's QM9 types H, C, N, O, F");
            }

            x[a, type] = 1;
            x[a, AtomicNumberColumn] = AtomicNumbers[type];
        }

        // PyG counts, over both directions of every bond, the neighbours with atomic number 1.
        foreach (var (from, to, _) in bonds)
        {
            x[to, HydrogenColumn] += symbols[from] == "H" ? 1 : 0;
            x[from, HydrogenColumn] += symbols[to] == "H" ? 1 : 0;
        }

        return x;
    }
}
