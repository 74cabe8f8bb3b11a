using System.Text.Json;
using Grokking.Runtime;
using Grokking.Configuration;

namespace Grokking.Training;

/// <summary>
/// manifest.json of a finished run directory: every file's path, length and SHA-256, so a run read back (from the run
/// cache) is checked file by file before anything parses it. It lists every file but the landscape/ folder (whose files
/// carry their own digests and are added after the run) and lock or pid files (which only say who holds the directory);
/// complete.json, the cache's commit marker, is written after it. A file that is missing, of another length or content,
/// or present but not listed (analyses enumerate checkpoints/weights-step*.bin, so an unlisted snapshot would be read
/// unverified) is damage. The manifest carries a digest of its own list, so a damaged manifest is named as such.
/// </summary>
public static class RunManifest
{
    public const string FileName = "manifest.json";

    private const string LandscapeFolder = "landscape/";

    private static readonly JsonSerializerOptions Compact = new(RunDirectory.Json) { WriteIndented = false };

    /// <summary>One file of the run: its path relative to the run directory ('/'-separated), length and SHA-256.</summary>
    public sealed record Entry(string Path, long Length, string Sha256);

    private sealed record Document(int Format, List<Entry> Files, string Sha256);

    /// <summary>
    /// Writes manifest.json (atomically) listing the directory's files as they are now: the run cache calls it when a
    /// run completes, before its commit marker. It also seals entries written before manifests existed (a deliberate
    /// one-off by whoever knows those files are good; see RunCache.SealLegacyEntries).
    /// </summary>
    public static IReadOnlyList<Entry> Seal(string directory)
    {
        string root = Path.GetFullPath(directory);
        var files = FilesOf(root).Select(f => new Entry(f, new FileInfo(Full(root, f)).Length, FileDigest.Of(Full(root, f)))).ToList();
        var document = new Document(1, files, ListDigest(files));
        AtomicFile.WriteAllText(Path.Combine(root, FileName), JsonSerializer.Serialize(document, RunDirectory.Json));
        return files;
    }

    public static bool Exists(string directory) => File.Exists(Path.Combine(directory, FileName));

    /// <summary>
    /// Checks every listed file (exists, length, digest) and that no unlisted file is present; throws a
    /// <see cref="DamagedFileException"/> naming the first file that fails. A directory without a manifest is unverifiable.
    /// </summary>
    public static void Verify(string directory)
    {
        string root = Path.GetFullPath(directory);
        var listed = Read(root);
        foreach (var entry in listed)
        {
            VerifyFile(root, entry);
        }

        var names = listed.Select(e => e.Path).ToHashSet(StringComparer.Ordinal);
        string? extra = FilesOf(root).FirstOrDefault(f => !names.Contains(f));
        if (extra is not null)
        {
            throw new DamagedFileException(
                Full(root, extra), $"not listed in {FileName} (the run did not write it; an analysis would read it unverified)");
        }
    }

    private static List<Entry> Read(string root)
    {
        string path = Path.Combine(root, FileName);
        if (!File.Exists(path))
        {
            throw new DamagedFileException(path, "missing: the entry was written without a manifest (older code), so it cannot be verified");
        }

        Document? document;
        try
        {
            document = JsonSerializer.Deserialize<Document>(File.ReadAllText(path), RunDirectory.Json);
        }
        catch (JsonException e)
        {
            throw new DamagedFileException(path, $"not a valid manifest ({JsonText.Describe(e)})");
        }

        if (document?.Files is null || document.Sha256 is null || document.Files.Any(f => f?.Path is null || f.Sha256 is null))
        {
            throw new DamagedFileException(path, "not a valid manifest (the file list or its digest is missing)");
        }

        if (ListDigest(document.Files) != document.Sha256 || document.Files.Any(f => !Inside(f.Path)))
        {
            throw new DamagedFileException(path, "its file list does not match its own digest");
        }

        return document.Files;
    }

    private static void VerifyFile(string root, Entry entry)
    {
        string path = Full(root, entry.Path);
        if (!File.Exists(path))
        {
            throw new DamagedFileException(path, $"missing (listed in {FileName})");
        }

        long length = new FileInfo(path).Length;
        if (length != entry.Length)
        {
            throw new DamagedFileException(path, $"{length} bytes, the manifest says {entry.Length}");
        }

        if (FileDigest.Of(path) != entry.Sha256)
        {
            throw new DamagedFileException(path, "content does not match the manifest (SHA-256 differs)");
        }
    }

    /// <summary>The files a manifest covers, relative and '/'-separated, in ordinal order.</summary>
    private static List<string> FilesOf(string root) =>
        [
            .. Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
                .Select(f => Path.GetRelativePath(root, f).Replace('\\', '/'))
                .Where(Covered)
                .Order(StringComparer.Ordinal),
        ];

    private static bool Covered(string relative)
    {
        string name = Path.GetFileName(relative);
        bool marker = relative is FileName or "complete.json";
        bool lockFile = name is "lock" or "pid"
            || name.EndsWith(".lock", StringComparison.Ordinal) || name.EndsWith(".pid", StringComparison.Ordinal);
        return !marker && !lockFile && !relative.StartsWith(LandscapeFolder, StringComparison.Ordinal);
    }

    /// <summary>A listed path must stay inside the run directory (a damaged manifest must not send the check elsewhere).</summary>
    private static bool Inside(string relative) =>
        relative.Length > 0 && !Path.IsPathRooted(relative) && !relative.Split('/').Any(part => part is ".." or "." or "");

    private static string Full(string root, string relative) => Path.Combine(root, relative.Replace('/', Path.DirectorySeparatorChar));

    private static string ListDigest(List<Entry> files) =>
        FileDigest.Of(System.Text.Encoding.UTF8.GetBytes(JsonSerializer.Serialize(files, Compact)));
}
