using System.Text.Json;
using System.Text.Json.Serialization;
using Grokking.Claims.Baselines;
using Grokking.Claims.Contracts;
using Grokking.Configuration;
using Grokking.Runtime;

namespace Grokking.Claims;

/// <summary>How a claim's verdict fares under an alternative: unchanged, changed, or left undecided by it.</summary>
public enum VariantEffect
{
    Holds,
    Flips,

    /// <summary>INCONCLUSIVE (or not decided at all) under the alternative: e.g. out of its budget. Not a flip.</summary>
    Undecided,
}

/// <summary>One claim verified under one alternative, beside its committed verdict at the profile (null when none).</summary>
public sealed record VariantOutcome(string Experiment, string Variant, string Choice, string Claim, Verdict? Committed, Verdict Verdict)
{
    /// <summary>The engine and day that verified it under the alternative.</summary>
    public BaselineProvenance? Made { get; init; }

    /// <summary>
    /// The rule's own verdict where <see cref="Verdict"/> is not it: a control that came out CONFIRMED, or the profile's
    /// declaration (undecidable, out of regime) made the claim INCONCLUSIVE. An alternative that changes the setup a
    /// declaration is about (the width-128 variants of MC and PB) is read by it: does the rule, there, reach the paper's
    /// verdict. Null where the two are the same.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public Verdict? RuleVerdict { get; init; }

    /// <summary>The verdict under the alternative, with the rule's own where it differs ("INCONCLUSIVE (rule: CONFIRMED)").</summary>
    [JsonIgnore]
    public string UnderIt =>
        Verdict.ToString().ToUpperInvariant() + (RuleVerdict is { } rule ? $" (rule: {rule.ToString().ToUpperInvariant()})" : "");

    /// <summary>Its key in a variants file: one outcome per claim, experiment and alternative.</summary>
    [JsonIgnore]
    public string Key => $"{Claim}|{Experiment}|{Variant}";

    [JsonIgnore]
    public VariantEffect Effect =>
        Verdict == Committed ? VariantEffect.Holds
        : Committed is null || Verdict is not (Verdict.Confirmed or Verdict.Refuted) ? VariantEffect.Undecided
        : VariantEffect.Flips;
}

/// <summary>
/// 'grokking verify --variants' (issue 28): which alternatives the selection's claims run under at a profile, and per
/// claim whether its verdict holds under all of them or flips under one, against the committed baseline's verdict.
/// </summary>
public static class VariantRuns
{
    public const string FileName = "variants.json";

    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    /// <summary>
    /// Each declared alternative at <paramref name="profile"/> with the selected claims that read its experiment; with
    /// <paramref name="names"/>, only the alternatives named (NAME or EXPERIMENT/NAME).
    /// </summary>
    public static IReadOnlyList<(VariantChoice Choice, IReadOnlyList<string> Claims)> Plan(
        ClaimCatalog catalog, IReadOnlyList<ClaimDefinition> selection, Profile profile, IReadOnlyCollection<string>? names = null) =>
    [
        .. All(catalog)
            .Where(choice => names is null || names.Any(n => Names(choice, n)))
            .Where(choice => choice.LayerFor(catalog.Experiments[choice.Experiment], profile) is not null)
            .Select(choice => (Choice: choice, Claims: (IReadOnlyList<string>)
                [.. selection.Where(c => c.AllExperiments.Any(e => choice.LayerFor(catalog.Experiments[e], profile) is not null)).Select(c => c.Id)]))
            .Where(r => r.Claims.Count > 0),
    ];

    /// <summary>Every declared alternative as EXPERIMENT/NAME, in the catalog's order.</summary>
    public static IEnumerable<string> Declared(ClaimCatalog catalog) => All(catalog).Select(c => $"{c.Experiment}/{c.Variant.Name}");

    /// <summary>The first of <paramref name="names"/> that names no declared alternative, or null when each names one.</summary>
    public static string? Unknown(ClaimCatalog catalog, IEnumerable<string> names) =>
        names.FirstOrDefault(n => !All(catalog).Any(c => Names(c, n)));

    private static IEnumerable<VariantChoice> All(ClaimCatalog catalog) =>
        catalog.Experiments.Values.OrderBy(e => e.Name, StringComparer.Ordinal).SelectMany(e => e.Variants.Select(v => new VariantChoice(e.Name, v)));

    private static bool Names(VariantChoice choice, string name) =>
        name == choice.Variant.Name || name == $"{choice.Experiment}/{choice.Variant.Name}";

    /// <summary>The committed verdict of a claim at the profile; null when there is none or it cannot be read.</summary>
    public static Verdict? Committed(BaselineStore baselines, Profile profile, string id) =>
        ProfileAgreement.Read(baselines, profile, id).Snapshot?.Verdict;

    /// <summary>One line per claim: holds under all alternatives, or each alternative that flips or leaves it undecided.</summary>
    public static IEnumerable<string> Summary(IReadOnlyList<VariantOutcome> outcomes) =>
        outcomes.GroupBy(o => o.Claim).Select(g =>
        {
            var moved = g.Where(o => o.Effect != VariantEffect.Holds).ToList();
            string rules = string.Concat(g.Where(o => o.Effect == VariantEffect.Holds && o.RuleVerdict is not null)
                .Select(o => $"; rule under {o.Variant}: {o.RuleVerdict.ToString()!.ToUpperInvariant()}"));
            return (moved.Count == 0
                ? $"{g.Key}: holds under all alternatives ({string.Join(", ", g.Select(o => o.Variant))})"
                : $"{g.Key}: " + string.Join("; ", moved.Select(Moved))) + rules;
        });

    public static void Save(string path, Profile profile, IReadOnlyList<VariantOutcome> outcomes) =>
        AtomicFile.WriteAllText(path, JsonSerializer.Serialize(new VariantFile(profile.Name, [.. outcomes]), Json));

    /// <summary>The outcomes of a variants file of <paramref name="profile"/>; empty with a one-line warning when damaged.</summary>
    public static (IReadOnlyList<VariantOutcome> Outcomes, string? Warning) Load(string path, Profile profile)
    {
        if (!File.Exists(path))
        {
            return ([], null);
        }

        try
        {
            var file = JsonSerializer.Deserialize<VariantFile>(File.ReadAllText(path), Strict);
            return file is not null && file.Profile == profile.Name && file.Outcomes.All(o => o is { Claim.Length: > 0, Variant.Length: > 0 })
                ? (file.Outcomes, null)
                : ([], $"{path}: not a {profile.Name} variants file");
        }
        catch (JsonException e)
        {
            return ([], $"{path}: not a variants file ({JsonText.Describe(e)})");
        }
    }

    /// <summary>
    /// Records a verify --variants' outcomes (report/variants.json) into the profile's committed file, replacing those of
    /// the same claim, experiment and alternative and keeping the rest; one line says what it did (null: nothing to record).
    /// </summary>
    public static string? Record(string measuredPath, string recordedPath, Profile profile, string shownAs)
    {
        var (measured, warning) = Load(measuredPath, profile);
        if (warning is not null || measured.Count == 0)
        {
            return warning is null ? null : $"recorded variants unchanged: {warning}";
        }

        var (recorded, _) = Load(recordedPath, profile);
        var keys = measured.Select(o => o.Key).ToHashSet(StringComparer.Ordinal);
        Save(recordedPath, profile, [.. recorded.Where(o => !keys.Contains(o.Key)), .. measured]);
        return $"recorded {measured.Count} variant outcome(s) into {shownAs}";
    }

    private static readonly JsonSerializerOptions Strict = new(Json)
    {
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        RespectRequiredConstructorParameters = true,
        RespectNullableAnnotations = true,
    };

    private sealed record VariantFile(string Profile, IReadOnlyList<VariantOutcome> Outcomes);

    private static string Moved(VariantOutcome o)
    {
        string committed = o.Committed?.ToString().ToUpperInvariant() ?? "no baseline";
        string how = o.Effect == VariantEffect.Flips ? "flips" : "undecided";
        return $"{how} under {o.Choice} = {o.Variant} ({committed} -> {o.UnderIt})";
    }
}
