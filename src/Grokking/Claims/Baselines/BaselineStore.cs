using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Grokking.Configuration;
using Grokking.Runtime;

namespace Grokking.Claims.Baselines;

/// <summary>
/// Verify-style snapshot baselines: baselines/&lt;profile&gt;/&lt;ID&gt;.verified.json is the accepted outcome. A
/// differing (or first) run writes &lt;ID&gt;.received.json beside it; accepting moves received over verified.
/// Verdicts must match exactly, numbers within the tolerance stored with each in the verified file.
/// </summary>
public sealed class BaselineStore(string baselinesDirectory)
{
    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public string Root { get; } = Path.GetFullPath(baselinesDirectory);

    public string VerifiedPath(Profile profile, string id) => Path.Combine(Root, profile.Name, $"{id}.verified.json");

    public string ReceivedPath(Profile profile, string id) => Path.Combine(Root, profile.Name, $"{id}.received.json");

    public BaselineComparison Compare(BaselineSnapshot received)
    {
        string verifiedPath = VerifiedPath(received.Profile, received.Id);
        string receivedPath = ReceivedPath(received.Profile, received.Id);
        var differences = new List<string>();
        if (!File.Exists(verifiedPath))
        {
            differences.Add($"no accepted baseline {Path.GetFileName(verifiedPath)} for profile {received.Profile.Name}");
        }
        else
        {
            var verified = JsonSerializer.Deserialize<BaselineSnapshot>(File.ReadAllText(verifiedPath), Json)!;
            differences.AddRange(Diff(verified, received));
        }

        if (differences.Count == 0)
        {
            if (File.Exists(receivedPath))
            {
                File.Delete(receivedPath);
            }

            return new BaselineComparison(true, differences, verifiedPath, null);
        }

        AtomicFile.WriteAllText(receivedPath, JsonSerializer.Serialize(received, Json));
        return new BaselineComparison(false, differences, verifiedPath, receivedPath);
    }

    /// <summary>Differences between the accepted snapshot and a new one, each naming the field or metric.</summary>
    public static IReadOnlyList<string> Diff(BaselineSnapshot verified, BaselineSnapshot received)
    {
        var differences = new List<string>();
        if (verified.Verdict != received.Verdict)
        {
            differences.Add(
                $"verdict: accepted {verified.Verdict.ToString().ToUpperInvariant()}, "
                + $"now {received.Verdict.ToString().ToUpperInvariant()}");
        }

        foreach (var accepted in verified.Metrics)
        {
            var now = received.Metrics.FirstOrDefault(m => m.Key == accepted.Key);
            if (now is null)
            {
                differences.Add($"metric '{accepted.Key}' ({accepted.Name}): accepted {F(accepted.Value)}, now missing");
            }
            else if (!Within(accepted, now.Value))
            {
                differences.Add(
                    $"metric '{accepted.Key}' ({accepted.Name}): accepted {F(accepted.Value)} ± {F(accepted.Tolerance)}, "
                    + $"now {F(now.Value)} (off by {F(Math.Abs(now.Value - accepted.Value))})");
            }
        }

        foreach (var extra in received.Metrics.Where(m => verified.Metrics.All(v => v.Key != m.Key)))
        {
            differences.Add($"metric '{extra.Key}' ({extra.Name}): new, {F(extra.Value)} (not in the accepted baseline)");
        }

        return differences;
    }

    /// <summary>Moves received files over verified ones; returns the ids accepted.</summary>
    public IReadOnlyList<string> Accept(Profile profile, IReadOnlyCollection<string>? ids)
    {
        string dir = Path.Combine(Root, profile.Name);
        var accepted = new List<string>();
        foreach (string received in Directory.Exists(dir) ? Directory.GetFiles(dir, "*.received.json").Order().ToArray() : [])
        {
            string id = Path.GetFileName(received)[..^".received.json".Length];
            if (ids is { Count: > 0 } && !ids.Contains(id, StringComparer.OrdinalIgnoreCase))
            {
                continue;
            }

            File.Move(received, VerifiedPath(profile, id), overwrite: true);
            accepted.Add(id);
        }

        return accepted;
    }

    private static bool Within(BaselineMetric accepted, double now) =>
        (double.IsNaN(accepted.Value) && double.IsNaN(now))
        || (double.IsPositiveInfinity(accepted.Value) && double.IsPositiveInfinity(now))
        || (double.IsNegativeInfinity(accepted.Value) && double.IsNegativeInfinity(now))
        || Math.Abs(now - accepted.Value) <= accepted.Tolerance;

    private static string F(double v) => v.ToString("G6", CultureInfo.InvariantCulture);
}
