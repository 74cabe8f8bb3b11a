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
    private const string ReceivedSuffix = ".received.json";

    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public string Root { get; } = Path.GetFullPath(baselinesDirectory);

    public string VerifiedPath(Profile profile, string id) => Path.Combine(Root, profile.Name, $"{id}.verified.json");

    public string ReceivedPath(Profile profile, string id) => Path.Combine(Root, profile.Name, id + ReceivedSuffix);

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
            differences.AddRange(Diff(ReadVerified(received.Profile, received.Id), received));
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

    /// <summary>An accepted baseline, read against the schema: a damaged one is a <see cref="DamagedFileException"/>.</summary>
    public BaselineSnapshot ReadVerified(Profile profile, string id)
    {
        string path = VerifiedPath(profile, id);
        return BaselineFile.Read(path, ShownAs(path), id, profile);
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

    /// <summary>
    /// Moves received files over verified ones, all or none: each selected received file is first read against the
    /// baseline schema (<see cref="BaselineFile"/>), and one that is not a valid snapshot of its claim and profile is a
    /// <see cref="DamagedFileException"/> naming it, thrown before any verified file is replaced.
    /// </summary>
    /// <param name="ids">The claims to accept (case-insensitive); null or empty: every received file.</param>
    /// <param name="claims">The catalog's claim ids, when known: a received file for anything else is refused too.</param>
    /// <returns>The ids accepted.</returns>
    public IReadOnlyList<string> Accept(Profile profile, IReadOnlyCollection<string>? ids, IReadOnlyCollection<string>? claims = null)
    {
        var selected = ReceivedIds(profile).Where(id => ids is not { Count: > 0 } || ids.Contains(id, StringComparer.OrdinalIgnoreCase)).ToList();
        foreach (string id in selected)
        {
            string received = ReceivedPath(profile, id);
            if (claims is not null && !claims.Contains(id, StringComparer.Ordinal))
            {
                throw new DamagedFileException(
                    ShownAs(received), $"'{id}' is not a claim of the catalog, so it has no baseline to accept", "nothing was accepted; delete it");
            }

            try
            {
                BaselineFile.Read(received, ShownAs(received), id, profile);
            }
            catch (DamagedFileException e)
            {
                throw e.WithRecovery("nothing was accepted; delete it, or verify the claim again to write a new one");
            }
        }

        foreach (string id in selected)
        {
            File.Move(ReceivedPath(profile, id), VerifiedPath(profile, id), overwrite: true);
        }

        return selected;
    }

    /// <summary>The ids of the received files waiting in a profile's folder, in ordinal order.</summary>
    public IReadOnlyList<string> ReceivedIds(Profile profile)
    {
        string dir = Path.Combine(Root, profile.Name);
        return Directory.Exists(dir)
            ? [.. Directory.GetFiles(dir, "*" + ReceivedSuffix)
                .Select(f => Path.GetFileName(f)[..^ReceivedSuffix.Length])
                .Order(StringComparer.Ordinal)]
            : [];
    }

    /// <summary>A baseline file as messages name it: from the baselines folder down (baselines/smoke/MC-1.received.json).</summary>
    public string ShownAs(string path) => Path.GetRelativePath(Path.GetDirectoryName(Root) ?? Root, path);

    private static bool Within(BaselineMetric accepted, double now) =>
        (double.IsNaN(accepted.Value) && double.IsNaN(now))
        || (double.IsPositiveInfinity(accepted.Value) && double.IsPositiveInfinity(now))
        || (double.IsNegativeInfinity(accepted.Value) && double.IsNegativeInfinity(now))
        || Math.Abs(now - accepted.Value) <= accepted.Tolerance;

    private static string F(double v) => v.ToString("G6", CultureInfo.InvariantCulture);
}
