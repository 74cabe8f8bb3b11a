namespace Grokking.Report;

/// <summary>One claim in two entries: its results on each side (null where it is absent) and the comparisons that moved.</summary>
public sealed record ClaimDiff(string Id, HistoryClaim? Before, HistoryClaim? After, IReadOnlyList<ValueChange> Values)
{
    public bool IsNew => Before is null;

    public bool IsMissing => After is null;

    public bool VerdictChanged => Before is not null && After is not null && Before.Verdict != After.Verdict;

    /// <summary>The verdict stayed but the rule's own verdict (before the control or a declared defect bounded it) changed.</summary>
    public bool RuleVerdictChanged => Before is not null && After is not null && !VerdictChanged && Before.RuleVerdict != After.RuleVerdict;

    public bool Changed => IsNew || IsMissing || VerdictChanged || RuleVerdictChanged || Values.Count > 0;

    /// <summary>
    /// The comparisons that differ between the two results of one claim (moved, rule changed, new, gone), in the later result's
    /// order, then those gone.
    /// </summary>
    public static IReadOnlyList<ValueChange> Compare(HistoryClaim before, HistoryClaim after)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        var earlier = before.Comparisons.ToDictionary(c => c.Key, StringComparer.Ordinal);
        var later = after.Comparisons.ToDictionary(c => c.Key, StringComparer.Ordinal);

        // A claim that errored or had no data has no comparisons at all: its verdict says so, a list of every value gone would not.
        bool both = earlier.Count > 0 && later.Count > 0;
        var changes = new List<ValueChange>();
        foreach (var comparison in after.Comparisons)
        {
            if (earlier.TryGetValue(comparison.Key, out var old))
            {
                var change = new ValueChange(comparison.Key, old, comparison);
                if (change.HasMoved || change.RuleChanged)
                {
                    changes.Add(change);
                }
            }
            else if (both)
            {
                changes.Add(new ValueChange(comparison.Key, null, comparison));
            }
        }

        if (both)
        {
            changes.AddRange(before.Comparisons.Where(c => !later.ContainsKey(c.Key)).Select(c => new ValueChange(c.Key, c, null)));
        }

        return changes;
    }
}
