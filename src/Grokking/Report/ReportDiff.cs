using Grokking.Configuration;

namespace Grokking.Report;

/// <summary>
/// Two verifies compared (<c>grokking report diff A B</c>): per claim, a verdict that changed, comparisons whose values
/// moved beyond their interval, claims new in B and claims missing from it; and where the two runs' provenance differs in
/// what makes values comparable (profile, device, dtype, engine).
/// </summary>
public sealed record ReportDiff(HistoryEntry Before, HistoryEntry After, IReadOnlyList<ClaimDiff> Claims)
{
    public static ReportDiff Of(HistoryEntry before, HistoryEntry after)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        var earlier = before.Claims.ToDictionary(c => c.Id, StringComparer.Ordinal);
        var later = after.Claims.ToDictionary(c => c.Id, StringComparer.Ordinal);
        var claims = new List<ClaimDiff>();
        foreach (var claim in after.Claims)
        {
            claims.Add(earlier.TryGetValue(claim.Id, out var old)
                ? new ClaimDiff(claim.Id, old, claim, ClaimDiff.Compare(old, claim))
                : new ClaimDiff(claim.Id, null, claim, []));
        }

        claims.AddRange(before.Claims.Where(c => !later.ContainsKey(c.Id)).Select(c => new ClaimDiff(c.Id, c, null, [])));
        return new ReportDiff(before, after, claims);
    }

    public int VerdictsChanged => Claims.Count(c => c.VerdictChanged);

    public int RuleVerdictsChanged => Claims.Count(c => c.RuleVerdictChanged);

    /// <summary>Claims in both entries with at least one comparison that moved beyond its interval (or appeared or went).</summary>
    public int ValuesMoved => Claims.Count(c => c.Values.Any(v => v.HasMoved));

    /// <summary>Claims in both entries with a comparison whose threshold or relation changed.</summary>
    public int RulesChanged => Claims.Count(c => c.Values.Any(v => v.RuleChanged));

    public int New => Claims.Count(c => c.IsNew);

    public int Missing => Claims.Count(c => c.IsMissing);

    public int InBoth => Claims.Count(c => !c.IsNew && !c.IsMissing);

    /// <summary>
    /// The settings in which the two runs differ that make their values differ by design ("device cpu → cuda"); empty when
    /// none: then a moved value is a change of the code (or of the libraries), not of the setup.
    /// </summary>
    public IReadOnlyList<string> SetupDifferences()
    {
        var a = Before.Run.Environment;
        var b = After.Run.Environment;
        var pairs = new (string Name, string A, string B)[]
        {
            ("profile", a.Profile.Name, b.Profile.Name),
            ("device", a.Device, b.Device),
            ("dtype", a.Dtype, b.Dtype),
            ("engine", a.Engine, b.Engine),
        };
        return [.. pairs.Where(p => !string.Equals(p.A, p.B, StringComparison.Ordinal)).Select(p => $"{p.Name} {Shown(p.A)} → {Shown(p.B)}")];
    }

    private static string Shown(string value) => value.Length == 0 ? "(not recorded)" : value;
}
