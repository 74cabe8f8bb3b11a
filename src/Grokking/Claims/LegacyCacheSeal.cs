using Grokking.Landscape;
using Grokking.Training;

namespace Grokking.Claims;

/// <summary>
/// The one-off migration of a run cache written before manifests and landscape envelopes: without it every finished
/// entry is unverifiable and would be moved aside and retrained on its next read. Deliberately no command: it certifies
/// the files as they are now, so only whoever produced the cache and trusts it runs it, once, by hand.
/// </summary>
public static class LegacyCacheSeal
{
    /// <summary>
    /// For every finished entry under <paramref name="root"/> (a complete.json beside it) that has no manifest: checks
    /// that its files read as a run, then writes its manifest; and wraps its legacy landscape files in envelopes. Each
    /// entry is sealed under its lock, so a verify running beside it waits. Entries already sealed, unfinished entries and
    /// moved-aside ones are left alone. Returns one line per entry: what was sealed, or why it was not.
    /// </summary>
    public static IReadOnlyList<string> SealLegacyEntries(string root)
    {
        var lines = new List<string>();
        foreach (string dir in Directory.GetDirectories(root).Order(StringComparer.Ordinal))
        {
            if (File.Exists(Path.Combine(dir, RunCache.CompleteMarker)) && !dir.Contains(".damaged-", StringComparison.Ordinal))
            {
                using var fileLock = RunCache.AcquireLock(dir + RunCache.LockSuffix, CancellationToken.None);
                lines.Add($"{Path.GetFileName(dir)}: {SealEntry(dir)}");
            }
        }

        return lines;
    }

    private static string SealEntry(string dir)
    {
        string manifest = "manifest already present";
        if (!RunManifest.Exists(dir))
        {
            string? problem = RunFileCheck.FirstProblem(dir)?.Message;
            if (problem is not null)
            {
                return $"NOT sealed, {problem} (its next read moves it aside and retrains it)";
            }

            manifest = $"manifest written ({RunManifest.Seal(dir).Count} files)";
        }

        return $"{manifest}; {LandscapeCache.SealLegacy(dir).Count} landscape file(s) sealed";
    }
}
