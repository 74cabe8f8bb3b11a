using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Grokking.Claims.Contracts;
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
            try
            {
                var verified = ReadVerified(received.Profile, received.Id);
                differences.AddRange(Diff(verified, received));
                string accepted = verified.Made?.DeviceKind ?? "cpu";
                string now = received.Made?.DeviceKind ?? "cpu";
                if (differences.Count > 0 && accepted != now)
                {
                    // Not a difference of its own (a GPU run is held to the CPU-made baseline): the context of the others.
                    differences.Add($"made on: accepted {accepted}, now {now} (verdicts must agree across devices, numbers within the tolerance)");
                }
            }
            catch (DamagedFileException e)
            {
                // An accepted baseline of an older format (or a hand-edited one) is a difference naming what is wrong,
                // with a received file written beside it, so accepting that file repairs it.
                differences.Add($"accepted baseline {e.Message} (an older format, or damaged: accept the received file to replace it)");
            }
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

    /// <summary>
    /// Rewrites an accepted baseline written before issue 25's audit in the current format (see
    /// <see cref="BaselineFile.ReadLegacy"/>), for baselines that no cached run can regenerate (the paper profile's): true
    /// when it did; false when the file is already current. A file that is neither is the current format's
    /// <see cref="DamagedFileException"/>.
    /// </summary>
    public bool UpgradeLegacy(Profile profile, string id, ClaimScope scope)
    {
        string path = VerifiedPath(profile, id);
        try
        {
            ReadVerified(profile, id);
            return false;
        }
        catch (DamagedFileException current)
        {
            BaselineSnapshot legacy;
            try
            {
                legacy = BaselineFile.ReadLegacy(path, ShownAs(path), id, profile, scope);
            }
            catch (DamagedFileException)
            {
                throw current;
            }

            AtomicFile.WriteAllText(path, JsonSerializer.Serialize(legacy, Json));
            return true;
        }
    }

    /// <summary>Differences between the accepted snapshot and a new one, each naming the field or metric.</summary>
    public static IReadOnlyList<string> Diff(BaselineSnapshot verified, BaselineSnapshot received)
    {
        var differences = new List<string>();
        AddIfDiffers(differences, "verdict", verified.Verdict, received.Verdict);
        AddIfDiffers(differences, "rule verdict (before its control)", verified.RuleVerdict, received.RuleVerdict);
        if (verified.Scope != received.Scope)
        {
            differences.Add($"scope: accepted {ScopeDeclaration.NameOf(verified.Scope)}, now {ScopeDeclaration.NameOf(received.Scope)}");
        }

        differences.AddRange(ControlDifferences(verified.Control, received.Control));
        differences.AddRange(MetricDifferences(verified, received));
        differences.AddRange(ComparisonDifferences(verified, received));
        return differences;
    }

    private static List<string> MetricDifferences(BaselineSnapshot verified, BaselineSnapshot received)
    {
        var differences = new List<string>();
        foreach (var accepted in verified.Metrics)
        {
            var now = received.Metrics.FirstOrDefault(m => m.Key == accepted.Key);
            if (now is null)
            {
                differences.Add($"metric '{accepted.Key}' ({accepted.Name}): accepted {F(accepted.Value)}, now missing");
            }
            else if (SeedNoise.Widen(accepted.Tolerance, accepted.SeedSpread, accepted.Seeds, now.SeedSpread, now.Seeds) is var tolerance
                && !Within(accepted with { Tolerance = tolerance }, now.Value))
            {
                differences.Add(
                    $"metric '{accepted.Key}' ({accepted.Name}): accepted {F(accepted.Value)} ± {F(tolerance)}, "
                    + $"now {F(now.Value)} (off by {F(Math.Abs(now.Value - accepted.Value))})");
            }
        }

        foreach (var extra in received.Metrics.Where(m => verified.Metrics.All(v => v.Key != m.Key)))
        {
            differences.Add($"metric '{extra.Key}' ({extra.Name}): new, {F(extra.Value)} (not in the accepted baseline)");
        }

        return differences;
    }

    private static List<string> ControlDifferences(BaselineControl? accepted, BaselineControl? now)
    {
        if (accepted is null || now is null)
        {
            return accepted == now ? []
                : [$"control: accepted {(accepted is null ? "none" : $"'{accepted.Name}'")}, now {(now is null ? "none" : $"'{now.Name}'")}"];
        }

        if (accepted.Name != now.Name)
        {
            return [$"control: accepted '{accepted.Name}', now '{now.Name}'"];
        }

        var differences = new List<string>();
        AddIfDiffers(differences, $"control '{accepted.Name}' verdict", accepted.Verdict, now.Verdict);
        return differences;
    }

    /// <summary>
    /// Each comparison by key: its verdict exactly, its estimate, interval and worst seed within the claim's tolerance
    /// (the received snapshot's, by the metrics' rule; exact when the snapshot carries none), widened to the two runs' seed
    /// noise (<see cref="SeedNoise"/>).
    /// </summary>
    private static List<string> ComparisonDifferences(BaselineSnapshot verified, BaselineSnapshot received)
    {
        var differences = new List<string>();
        foreach (var accepted in verified.Comparisons)
        {
            var now = received.Comparisons.FirstOrDefault(c => c.Key == accepted.Key);
            if (now is null)
            {
                differences.Add($"comparison '{accepted.Key}' ({accepted.Quantity}): accepted {Upper(accepted.Verdict)}, now missing");
                continue;
            }

            AddIfDiffers(differences, $"comparison '{accepted.Key}' ({accepted.Quantity}) verdict", accepted.Verdict, now.Verdict);
            if (accepted.Relation != now.Relation)
            {
                differences.Add($"comparison '{accepted.Key}' ({accepted.Quantity}) relation: accepted {accepted.Relation}, now {now.Relation}");
            }

            // The threshold too: a rule whose threshold moved is no longer the rule the baseline accepted.
            foreach (var (field, was, @is) in new (string, double, double)[]
            {
                ("threshold", accepted.Threshold, now.Threshold), ("estimate", accepted.Estimate, now.Estimate),
                ("low", accepted.Low, now.Low), ("high", accepted.High, now.High), ("worst", accepted.Worst ?? double.NaN, now.Worst ?? double.NaN),
            })
            {
                double claim = received.Tolerance is { } t ? BaselineSnapshot.Allowed(was, t) : 0;
                double tolerance = SeedNoise.Widen(
                    Math.Max(claim, accepted.SeedSpread ?? 0), accepted.SeedSpread, accepted.Seeds, now.SeedSpread, now.Seeds);
                if (!Within(new BaselineMetric(accepted.Key, field, was, tolerance), @is))
                {
                    differences.Add($"comparison '{accepted.Key}' ({accepted.Quantity}) {field}: accepted {F(was)} ± {F(tolerance)}, now {F(@is)}");
                }
            }
        }

        differences.AddRange(received.Comparisons.Where(c => verified.Comparisons.All(v => v.Key != c.Key))
            .Select(c => $"comparison '{c.Key}' ({c.Quantity}): new, {Upper(c.Verdict)} (not in the accepted baseline)"));
        return differences;
    }

    private static void AddIfDiffers(List<string> differences, string what, Verdict accepted, Verdict now)
    {
        if (accepted != now)
        {
            differences.Add($"{what}: accepted {Upper(accepted)}, now {Upper(now)}");
        }
    }

    private static string Upper(Verdict verdict) => verdict.ToString().ToUpperInvariant();

    /// <summary>
    /// Moves received files over verified ones, all or none: each selected received file is first read against the
    /// baseline schema (<see cref="BaselineFile"/>), and one that is not a valid snapshot of its claim and profile is a
    /// <see cref="DamagedFileException"/> naming it, thrown before any verified file is replaced.
    /// </summary>
    /// <param name="ids">The claims to accept (case-insensitive); null or empty: every received file.</param>
    /// <param name="claims">The catalog's claim ids, when known: a received file for anything else is refused too.</param>
    /// <param name="acrossDevices">
    /// Whether a baseline made on one device kind (cpu, cuda, cuda with TF32) may be replaced by a snapshot made on another;
    /// without it such a replacement is an <see cref="OptionsException"/> naming both, thrown before anything is replaced.
    /// </param>
    /// <returns>The ids accepted.</returns>
    public IReadOnlyList<string> Accept(
        Profile profile, IReadOnlyCollection<string>? ids, IReadOnlyCollection<string>? claims = null, bool acrossDevices = false)
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

            BaselineSnapshot snapshot;
            try
            {
                snapshot = BaselineFile.Read(received, ShownAs(received), id, profile);
            }
            catch (DamagedFileException e)
            {
                throw e.WithRecovery("nothing was accepted; delete it, or verify the claim again to write a new one");
            }

            if (!acrossDevices)
            {
                RefuseAnotherDevice(profile, id, snapshot);
            }
        }

        foreach (string id in selected)
        {
            File.Move(ReceivedPath(profile, id), VerifiedPath(profile, id), overwrite: true);
        }

        return selected;
    }

    /// <summary>
    /// Refuses to replace an accepted baseline with a snapshot made on another device kind: a GPU run's numbers are
    /// compared with the CPU-made baselines, never silently put in their place. A baseline whose file does not record
    /// its device (or cannot be read) was made on a CPU: every baseline before the device was recorded was.
    /// </summary>
    private void RefuseAnotherDevice(Profile profile, string id, BaselineSnapshot received)
    {
        string verified = VerifiedPath(profile, id);
        if (!File.Exists(verified))
        {
            return;
        }

        string accepted;
        try
        {
            accepted = ReadVerified(profile, id).Made?.DeviceKind ?? "cpu";
        }
        catch (DamagedFileException)
        {
            accepted = "cpu";
        }

        string now = received.Made?.DeviceKind ?? "cpu";
        if (accepted != now)
        {
            throw new OptionsException(
                "--across-devices",
                $"{ShownAs(verified)} was made on {accepted} and {ShownAs(ReceivedPath(profile, id))} on {now}; a baseline is replaced "
                + "by one made on another device kind only with --across-devices (nothing was accepted)");
        }
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
