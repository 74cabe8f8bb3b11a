using System.Globalization;

namespace Grokking.Data;

/// <summary>
/// IMDb movie reviews with their sentiment from either usual layout of the data: Kaggle's "IMDB Dataset.csv" (50,000
/// reviews; header review,sentiment; labels positive/negative; the file Omnigrok's IMDb experiment reads), in file
/// order; or the Stanford aclImdb tree of Maas et al. (2011), one review per file named &lt;id&gt;_&lt;rating&gt;.txt under
/// train/pos, train/neg, test/pos and test/neg, in that order and by numeric id within a folder, so the order does not
/// depend on the file system. The directory may hold the CSV, be the aclImdb folder or contain it; the CSV wins if both
/// are there. Damage fails with one line naming the file and what is wrong.
/// </summary>
public static class ImdbReviews
{
    public const string CsvName = "IMDB Dataset.csv";
    private static readonly string[] Folders = ["train/pos", "train/neg", "test/pos", "test/neg"];

    public static IReadOnlyList<Review> Read(string directory)
    {
        ArgumentNullException.ThrowIfNull(directory);
        string csv = Path.Combine(directory, CsvName);
        if (File.Exists(csv))
        {
            return ReadCsv(csv);
        }

        string? tree = AclImdbRoot(directory);
        return tree is not null ? ReadTree(tree) : throw new FileNotFoundException(Describe(directory));
    }

    /// <summary>Null when the directory holds either layout; otherwise one line saying what to put where.</summary>
    public static string? Missing(string directory)
    {
        ArgumentNullException.ThrowIfNull(directory);
        return File.Exists(Path.Combine(directory, CsvName)) || AclImdbRoot(directory) is not null ? null : Describe(directory);
    }

    private static string Describe(string directory) =>
        $"'{directory}' holds no IMDb reviews: expected Kaggle's '{CsvName}' (header review,sentiment) in it, or the Stanford "
        + "aclImdb tree (train/pos, train/neg, test/pos, test/neg of <id>_<rating>.txt files) in it or in its aclImdb folder";

    private static string? AclImdbRoot(string directory) =>
        new[] { directory, Path.Combine(directory, "aclImdb") }
            .FirstOrDefault(root => Folders.All(f => Directory.Exists(Path.Combine(root, f))));

    private static List<Review> ReadCsv(string path)
    {
        using var reader = new StreamReader(path);
        var records = new CsvRecords(reader, path);
        string[]? header = records.Next();
        if (header is not ["review", "sentiment"])
        {
            string found = header is null ? "an empty file" : $"header '{Shorten(string.Join(',', header))}'";
            throw new InvalidDataException($"{path}: {found}; expected the header review,sentiment");
        }

        var reviews = new List<Review>();
        while (records.Next() is { } fields)
        {
            if (fields.Length != 2)
            {
                throw records.Damage(records.Line, $"{fields.Length} fields; expected 2 (review,sentiment)");
            }

            int label = fields[1] switch
            {
                "positive" => 1,
                "negative" => 0,
                _ => throw records.Damage(records.Line, $"sentiment '{Shorten(fields[1])}' is neither positive nor negative"),
            };
            reviews.Add(new Review(fields[0], label));
        }

        return reviews.Count > 0 ? reviews : throw new InvalidDataException($"{path}: no reviews after the header");
    }

    private static List<Review> ReadTree(string root)
    {
        var reviews = new List<Review>();
        foreach (string folder in Folders)
        {
            int label = folder.EndsWith("pos", StringComparison.Ordinal) ? 1 : 0;
            var files = Directory.GetFiles(Path.Combine(root, folder), "*.txt").Select(f => (Id: IdOf(f), File: f)).OrderBy(f => f.Id).ToList();
            for (int k = 1; k < files.Count; k++)
            {
                if (files[k].Id == files[k - 1].Id)
                {
                    throw new InvalidDataException($"{files[k].File}: review id {files[k].Id} also names {Path.GetFileName(files[k - 1].File)}");
                }
            }

            reviews.AddRange(files.Select(f => new Review(File.ReadAllText(f.File), label)));
        }

        return reviews.Count > 0 ? reviews : throw new InvalidDataException($"{root}: the aclImdb folders hold no <id>_<rating>.txt reviews");
    }

    /// <summary>The id of an aclImdb review file, &lt;id&gt;_&lt;rating&gt;.txt with a rating from 1 to 10.</summary>
    private static long IdOf(string file)
    {
        string[] parts = Path.GetFileNameWithoutExtension(file).Split('_');
        if (parts.Length == 2
            && long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out long id)
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int rating)
            && rating is >= 1 and <= 10)
        {
            return id;
        }

        throw new InvalidDataException($"{file}: not an aclImdb review name (<id>_<rating>.txt, rating 1 to 10)");
    }

    /// <summary>A field's text fit for a one-line message: line breaks as spaces, at most 40 characters.</summary>
    internal static string Shorten(string text)
    {
        string flat = text.ReplaceLineEndings(" ");
        return flat.Length <= 40 ? flat : flat[..40] + "...";
    }
}
