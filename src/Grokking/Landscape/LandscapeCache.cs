using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Grokking.Runtime;
using Grokking.Training;
using Grokking.Configuration;

namespace Grokking.Landscape;

/// <summary>
/// Path results kept beside the run they come from (landscape/&lt;name&gt;-&lt;hash&gt;.json in the run directory), so
/// claims that read the same path (MC-3 and MC-8; MC-4, GV-1 and GV-3) evaluate it once, and a later process
/// reads it instead of recomputing. The hash covers what the result depends on (the caller's identity object:
/// checkpoints, members, landscape options) and the engine version. Files are written atomically, each as an envelope
/// {"sha256": digest of the value's JSON text, "value": that text}, checked on every read: a file that does not parse,
/// fails its digest, or has no envelope (older code) is moved aside (never deleted) and recomputed, and the recovery is
/// kept for the run's claims to report (<see cref="TakeRecoveries"/>).
/// </summary>
public sealed class LandscapeCache(string runDirectory)
{
    private const string DigestProperty = "sha256";
    private const string ValueProperty = "value";

    private static readonly Lock Gate = new();

    // Recoveries by run directory, until a claim that read the run takes them for its report.
    private static readonly ConcurrentDictionary<string, ConcurrentQueue<CacheRecovery>> Recovered = new(StringComparer.Ordinal);

    private readonly string run = Path.TrimEndingDirectorySeparator(Path.GetFullPath(runDirectory));

    public string Directory { get; } = Path.Combine(runDirectory, "landscape");

    public string FileOf(string name, object identity)
    {
        string json = JsonSerializer.Serialize(new { EngineVersion.Value, Identity = identity }, RunDirectory.Json);
        string hash = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(json)))[..16].ToLowerInvariant();
        return Path.Combine(Directory, $"{name}-{hash}.json");
    }

    public T GetOrCompute<T>(string name, object identity, Func<T> compute)
    {
        string file = FileOf(name, identity);
        lock (Gate)
        {
            if (File.Exists(file))
            {
                try
                {
                    return Read<T>(file);
                }
                catch (DamagedFileException damage)
                {
                    var recovery = CacheRecovery.MoveAside(file, Path.GetFileName(run), run, damage);
                    Recovered.GetOrAdd(run, _ => new ConcurrentQueue<CacheRecovery>()).Enqueue(recovery);
                }
            }

            var value = compute();
            AtomicFile.WriteAllText(file, Envelope(JsonSerializer.Serialize(value, RunDirectory.Json)));
            return value;
        }
    }

    /// <summary>The landscape files of <paramref name="runDirectory"/> found damaged and recomputed since last asked.</summary>
    public static IReadOnlyList<CacheRecovery> TakeRecoveries(string runDirectory)
    {
        var taken = new List<CacheRecovery>();
        if (Recovered.TryGetValue(Path.TrimEndingDirectorySeparator(Path.GetFullPath(runDirectory)), out var queue))
        {
            while (queue.TryDequeue(out var recovery))
            {
                taken.Add(recovery);
            }
        }

        return taken;
    }

    /// <summary>
    /// Wraps the landscape files of a run written before envelopes existed, keeping their values' text as it is: a
    /// deliberate one-off by whoever knows those values are good (see RunCache.SealLegacyEntries). Files already sealed
    /// are left alone; a file that is not JSON is left unsealed (its next read moves it aside). Returns the files sealed.
    /// </summary>
    public static IReadOnlyList<string> SealLegacy(string runDirectory)
    {
        string folder = Path.Combine(runDirectory, "landscape");
        var sealedFiles = new List<string>();
        foreach (string file in System.IO.Directory.Exists(folder) ? System.IO.Directory.GetFiles(folder, "*.json") : [])
        {
            string text = File.ReadAllText(file).Trim();
            if (ParsesAsJson(text) && !IsEnvelope(text))
            {
                AtomicFile.WriteAllText(file, Envelope(text));
                sealedFiles.Add(file);
            }
        }

        return sealedFiles;
    }

    private static T Read<T>(string file)
    {
        string raw = ValueText(file);
        try
        {
            return JsonSerializer.Deserialize<T>(raw, RunDirectory.Json) ?? throw new DamagedFileException(file, "its value is null");
        }
        catch (JsonException e)
        {
            throw new DamagedFileException(file, $"its value does not read as {typeof(T).Name} ({JsonText.Describe(e)})");
        }
    }

    /// <summary>The value's JSON text exactly as written (GetRawText is the file's own slice), checked against its digest.</summary>
    private static string ValueText(string file)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(File.ReadAllText(file));
        }
        catch (JsonException e)
        {
            throw new DamagedFileException(file, $"not valid JSON ({JsonText.Describe(e)})");
        }

        using (document)
        {
            var root = document.RootElement;
            if (!IsEnvelope(root))
            {
                throw new DamagedFileException(file, "no integrity envelope (written by older code), so it cannot be verified");
            }

            string raw = root.GetProperty(ValueProperty).GetRawText();
            return FileDigest.Of(Encoding.UTF8.GetBytes(raw)) == root.GetProperty(DigestProperty).GetString()
                ? raw
                : throw new DamagedFileException(file, "content does not match its digest (SHA-256 differs)");
        }
    }

    private static string Envelope(string valueJson) =>
        $"{{\n  \"{DigestProperty}\": \"{FileDigest.Of(Encoding.UTF8.GetBytes(valueJson))}\",\n  \"{ValueProperty}\": {valueJson}\n}}\n";

    private static bool IsEnvelope(JsonElement root) =>
        root.ValueKind == JsonValueKind.Object
        && root.EnumerateObject().Count() == 2
        && root.TryGetProperty(DigestProperty, out var digest) && digest.ValueKind == JsonValueKind.String
        && root.TryGetProperty(ValueProperty, out _);

    private static bool IsEnvelope(string text)
    {
        using var document = JsonDocument.Parse(text);
        return IsEnvelope(document.RootElement);
    }

    private static bool ParsesAsJson(string text)
    {
        try
        {
            using var document = JsonDocument.Parse(text);
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
