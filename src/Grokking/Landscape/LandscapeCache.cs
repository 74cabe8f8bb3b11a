using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Grokking.Runtime;
using Grokking.Training;

namespace Grokking.Landscape;

/// <summary>
/// Path results kept beside the run they come from (landscape/&lt;name&gt;-&lt;hash&gt;.json in the run directory), so
/// claims that read the same path (MC-3 and MC-8; MC-4, GV-1 and GV-3) evaluate it once, and a later process
/// reads it instead of recomputing. The hash covers what the result depends on (the caller's identity object:
/// checkpoints, members, landscape options) and the engine version. Files are written atomically.
/// </summary>
public sealed class LandscapeCache(string runDirectory)
{
    private static readonly Lock Gate = new();

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
                return JsonSerializer.Deserialize<T>(File.ReadAllText(file), RunDirectory.Json)
                    ?? throw new InvalidDataException($"{file} is empty");
            }

            var value = compute();
            AtomicFile.WriteAllText(file, JsonSerializer.Serialize(value, RunDirectory.Json));
            return value;
        }
    }
}
