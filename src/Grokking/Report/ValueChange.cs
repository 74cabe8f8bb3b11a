namespace Grokking.Report;

/// <summary>
/// One comparison of a claim that differs between two entries: its estimate left the other's 95 % interval (either way),
/// its rule changed (threshold or relation: what a verdict change between commits often comes from), or it exists on one
/// side only. <see cref="Before"/> or <see cref="After"/> is null for a comparison new or gone.
/// </summary>
public sealed record ValueChange(string Key, HistoryComparison? Before, HistoryComparison? After)
{
    /// <summary>The values moved beyond their interval, or the comparison is new or gone: not a change of the rule alone.</summary>
    public bool HasMoved => Before is null || After is null || Moved(Before, After);

    /// <summary>Both sides have the comparison, with another threshold or relation.</summary>
    public bool RuleChanged => Before is not null && After is not null
        && (Before.Relation != After.Relation || !Before.Threshold.Equals(After.Threshold));

    /// <summary>
    /// Whether the two measurements of one comparison disagree: the later estimate lies outside the earlier interval, or the
    /// earlier estimate outside the later one (so A→B and B→A agree). Without intervals, any change of the estimate counts.
    /// </summary>
    public static bool Moved(HistoryComparison before, HistoryComparison after)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        return before.Excludes(after.Estimate) || after.Excludes(before.Estimate);
    }
}
