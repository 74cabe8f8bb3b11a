using System.Globalization;
using Grokking.Runtime;

namespace Grokking.Training;

/// <summary>
/// A damaged cache entry (a cached run's directory, a landscape file) that was moved aside and recomputed: which entry,
/// the file that failed its check, how, and where the damaged copy now lies. The report prints one line per recovery, so
/// a verdict that rests on a recomputed run says so.
/// </summary>
/// <param name="Entry">The entry as the cache names it: a run's key directory ("og-lu-1a2b…"), or a landscape file
/// below it ("og-lu-1a2b…/landscape/trajectory-pca-3c4d….json").</param>
/// <param name="File">The file that failed its check, relative to the entry's directory.</param>
/// <param name="Problem">What was wrong with it, in words.</param>
/// <param name="MovedTo">The full path the damaged entry was moved to (never deleted: it can be inspected).</param>
public sealed record CacheRecovery(string Entry, string File, string Problem, string MovedTo)
{
    /// <summary>"cache entry E was damaged (F: P); moved to M; recomputed".</summary>
    public string Describe() => $"cache entry {Entry} was damaged ({File}: {Problem}); moved to {MovedTo}; recomputed";

    /// <summary>
    /// Moves a damaged entry (a directory or a file) aside to "&lt;path&gt;.damaged-&lt;UTC yyyyMMddTHHmmss&gt;" (a
    /// counter is appended when that name is taken) and says so. The caller holds the entry's lock.
    /// </summary>
    /// <param name="path">The entry's directory or file.</param>
    /// <param name="entry">The entry's name for the report.</param>
    /// <param name="root">The directory the culprit's path is given relative to (the run directory).</param>
    /// <param name="damage">What was found.</param>
    public static CacheRecovery MoveAside(string path, string entry, string root, DamagedFileException damage)
    {
        string full = Path.GetFullPath(path);
        string stamp = DateTime.UtcNow.ToString("yyyyMMdd'T'HHmmss", CultureInfo.InvariantCulture);
        string target = $"{full}.damaged-{stamp}";
        for (int n = 1; System.IO.File.Exists(target) || Directory.Exists(target); n++)
        {
            target = $"{full}.damaged-{stamp}-{n.ToString(CultureInfo.InvariantCulture)}";
        }

        if (Directory.Exists(full))
        {
            Directory.Move(full, target);
        }
        else
        {
            System.IO.File.Move(full, target);
        }

        string culprit = Path.GetRelativePath(root, Path.GetFullPath(damage.FilePath)).Replace('\\', '/');
        return new CacheRecovery(entry, culprit, damage.Problem, target);
    }
}
