using System.Globalization;

namespace Grokking.Data;

/// <summary>
/// V2000 molfile records of an SDF file, one at a time: title line, program line, comment line, counts line (atoms in
/// columns 1-3, bonds in 4-6), the atom block (x, y, z in columns 1-30, the symbol in 32-34), the bond block (first
/// atom in columns 1-3, second in 4-6, type in 7-9), then property lines up to the "$$$$" that ends the record. Only
/// what PyG's QM9 features need is kept: the symbols and the bonds.
/// </summary>
internal sealed class SdfReader(string path) : IDisposable
{
    private readonly StreamReader reader = new(path);
    private int line;
    private string title = "";

    public void Dispose() => reader.Dispose();

    /// <summary>
    /// The next record's title and, when <paramref name="parse"/> is set, its atom symbols and bonds (1-based atom numbers
    /// turned 0-based, SDF types 1-4 turned 0-3); null at the end of the file.
    /// </summary>
    public (string Title, string[] Symbols, List<(int From, int To, int Type)> Bonds)? Next(bool parse)
    {
        string? first = reader.ReadLine();
        if (first is null || (first.Trim().Length == 0 && reader.Peek() < 0))
        {
            return null;
        }

        line++;
        title = first.Trim();
        if (!parse)
        {
            SkipRest();
            return (title, [], []);
        }

        ReadLine("the program line");
        ReadLine("the comment line");
        string counts = ReadLine("the counts line");
        if (counts.Contains("V3000", StringComparison.Ordinal))
        {
            throw Damage("is a V3000 record; only V2000 is read");
        }

        int atoms = Number(counts, 0, 3, "the atom count", 1, 999);
        int bonds = Number(counts, 3, 3, "the bond count", 0, 999);
        string[] symbols = [.. Enumerable.Range(1, atoms).Select(Symbol)];
        var list = Enumerable.Range(1, bonds).Select(b => Bond(b, atoms)).ToList();
        SkipRest();
        return (title, symbols, list);
    }

    private string Symbol(int atom)
    {
        string text = ReadLine($"atom {atom}");
        for (int c = 0; c < 3; c++)
        {
            Coordinate(text, 10 * c, $"a coordinate of atom {atom}");
        }

        return text.Length >= 32 ? text[31..Math.Min(34, text.Length)].Trim() : throw Damage($"atom {atom} has no element symbol");
    }

    private (int From, int To, int Type) Bond(int bond, int atoms)
    {
        string text = ReadLine($"bond {bond}");
        int from = Number(text, 0, 3, $"the first atom of bond {bond}", 1, atoms);
        int to = Number(text, 3, 3, $"the second atom of bond {bond}", 1, atoms);
        int type = Number(text, 6, 3, $"the type of bond {bond} (1 single, 2 double, 3 triple, 4 aromatic)", 1, 4);
        return from != to ? (from - 1, to - 1, type - 1) : throw Damage($"bond {bond} joins atom {from} to itself");
    }

    private void SkipRest()
    {
        string? text;
        do
        {
            text = reader.ReadLine();
            line++;
        }
        while (text is not null && !text.StartsWith("$$$$", StringComparison.Ordinal));
    }

    private string ReadLine(string what)
    {
        string? text = reader.ReadLine();
        line++;
        return text ?? throw Damage($"ends before {what}");
    }

    /// <summary>An integer in fixed columns [start, start + width), checked to lie in [min, max].</summary>
    private int Number(string text, int start, int width, string what, int min, int max)
    {
        string field = text.Length > start ? text[start..Math.Min(start + width, text.Length)].Trim() : "";
        return int.TryParse(field, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int value) && value >= min && value <= max
            ? value
            : throw Damage($"{what} is '{field}', expected an integer from {min} to {max}");
    }

    private void Coordinate(string text, int start, string what)
    {
        string field = text.Length > start ? text[start..Math.Min(start + 10, text.Length)].Trim() : "";
        if (!double.TryParse(field, NumberStyles.Float, CultureInfo.InvariantCulture, out _))
        {
            throw Damage($"{what} is '{field}', not a number");
        }
    }

    private InvalidDataException Damage(string what) => new($"{path}: molecule {title} (line {line}): {what}");
}
