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

    /// <summary>Each declared alternative at <paramref name="profile"/> with the selected claims that read its experiment.</summary>
    public static IReadOnlyList<(VariantChoice Choice, IReadOnlyList<string> Claims)> Plan(
        ClaimCatalog catalog, IReadOnlyList<ClaimDefinition> selection, Profile profile) =>
    [
        .. catalog.Experiments.Values.OrderBy(e => e.Name, StringComparer.Ordinal)
            .SelectMany(e => e.Variants.Select(v => new VariantChoice(e.Name, v)))
            .Where(choice => choice.LayerFor(catalog.Experiments[choice.Experiment], profile) is not null)
            .Select(choice => (Choice: choice, Claims: (IReadOnlyList<string>)
                [.. selection.Where(c => c.AllExperiments.Any(e => choice.LayerFor(catalog.Experiments[e], profile) is not null)).Select(c => c.Id)]))
            .Where(r => r.Claims.Count > 0),
    ];

    /// <summary>The committed verdict of a claim at the profile; null when there is none or it cannot be read.</summary>
    public static Verdict? Committed(BaselineStore baselines, Profile profile, string id)
    {
        try
        {
            return File.Exists(baselines.VerifiedPath(profile, id)) ? baselines.ReadVerified(profile, id).Verdict : null;
        }
        catch (DamagedFileException)
        {
            return null;
        }
    }

    /// <summary>One line per claim: holds under all alternatives, or each alternative that flips or leaves it undecided.</summary>
    public static IEnumerable<string> Summary(IReadOnlyList<VariantOutcome> outcomes) =>
        outcomes.GroupBy(o => o.Claim).Select(g =>
        {
            var moved = g.Where(o => o.Effect != VariantEffect.Holds).ToList();
            return moved.Count == 0
                ? $"{g.Key}: holds under all alternatives ({string.Join(", ", g.Select(o => o.Variant))})"
                : $"{g.Key}: " + string.Join("; ", moved.Select(Moved));
        });

    public static void Save(string path, Profile profile, IReadOnlyList<VariantOutcome> outcomes) =>
        AtomicFile.WriteAllText(path, JsonSerializer.Serialize(new { Profile = profile.Name, Outcomes = outcomes.Select(Row) }, Json));

    private static object Row(VariantOutcome o) => new { o.Experiment, o.Variant, o.Choice, o.Claim, o.Committed, o.Verdict, o.Effect };

    private static string Moved(VariantOutcome o)
    {
        string committed = o.Committed?.ToString().ToUpperInvariant() ?? "no baseline";
        string verdict = o.Verdict.ToString().ToUpperInvariant();
        string how = o.Effect == VariantEffect.Flips ? "flips" : "undecided";
        return $"{how} under {o.Choice} = {o.Variant} ({committed} -> {verdict})";
    }
}
