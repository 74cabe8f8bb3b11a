using System.Globalization;
using System.Text;
using Grokking.Configuration;
using static Grokking.Report.MarkdownReportRenderer;
using static Grokking.Report.ReportText;

namespace Grokking.Report;

/// <summary>
/// A <see cref="ReportDiff"/> as Markdown for a terminal, a file and a GitHub job summary: the two runs side by side, one
/// line of counts, and a table of the claims that changed (verdict, values beyond their interval, new, missing).
/// </summary>
public static class ReportDiffMarkdown
{
    public static IReadOnlyList<string> Headers { get; } =
        ["Claim", "Change", "A", "B", "Values beyond their interval (A → B: estimate [95 % interval]) and changed thresholds"];

    public static string Render(ReportDiff diff)
    {
        ArgumentNullException.ThrowIfNull(diff);
        var md = new StringBuilder();
        md.AppendLine("## Report diff").AppendLine();
        md.AppendLine("| | A | B |").AppendLine("| --- | --- | --- |");
        foreach (var (name, a, b) in RunRows(diff.Before, diff.After))
        {
            md.Append("| ").Append(name).Append(" | ").Append(MdCell(a)).Append(" | ").Append(MdCell(b)).AppendLine(" |");
        }

        md.AppendLine();
        if (diff.SetupDifferences() is { Count: > 0 } setup)
        {
            md.Append("A and B differ in ").Append(MdText(string.Join(", ", setup)))
                .AppendLine(": their values need not agree, so moved values are expected.").AppendLine();
        }

        md.Append("**").Append(SummaryLine(diff)).AppendLine("**").AppendLine();
        var changed = diff.Claims.Where(c => c.Changed).ToList();
        if (changed.Count == 0)
        {
            md.AppendLine("No claim changed: the same verdicts, and every value within its interval.");
            return md.ToString();
        }

        md.Append("| ").AppendJoin(" | ", Headers).AppendLine(" |");
        md.Append('|').AppendJoin('|', Headers.Select(_ => " --- ")).AppendLine("|");
        foreach (var claim in changed)
        {
            string[] cells =
                [MdCell(claim.Id), Change(claim), MdCell(Verdict(claim.Before)), MdCell(Verdict(claim.After)), MdCell(Values(claim))];
            md.Append("| ").AppendJoin(" | ", cells).AppendLine(" |");
        }

        return md.ToString();
    }

    /// <summary>
    /// "2 verdicts changed · 3 claims with values beyond their interval · 1 new · 0 missing (37 claims in both)", with the
    /// rule verdicts changed under the same verdict and the claims with a changed threshold where there are any.
    /// </summary>
    public static string SummaryLine(ReportDiff diff)
    {
        ArgumentNullException.ThrowIfNull(diff);
        static string Count(int n, string one, string many) => $"{n.ToString(CultureInfo.InvariantCulture)} {(n == 1 ? one : many)}";
        var parts = new List<string> { Count(diff.VerdictsChanged, "verdict changed", "verdicts changed") };
        if (diff.RuleVerdictsChanged > 0)
        {
            parts.Add(Count(diff.RuleVerdictsChanged, "rule verdict changed", "rule verdicts changed") + " under the same verdict");
        }

        parts.Add(Count(diff.ValuesMoved, "claim", "claims") + " with values beyond their interval");
        if (diff.RulesChanged > 0)
        {
            parts.Add(Count(diff.RulesChanged, "claim", "claims") + " with a changed threshold");
        }

        parts.Add(Count(diff.New, "new", "new"));
        parts.Add(Count(diff.Missing, "missing", "missing"));
        return $"{string.Join(" · ", parts)} ({Count(diff.InBoth, "claim", "claims")} in both)";
    }

    private static IEnumerable<(string Name, string A, string B)> RunRows(HistoryEntry a, HistoryEntry b)
    {
        var x = a.Run.Environment;
        var y = b.Run.Environment;
        yield return ("entry", a.Run.Name, b.Run.Name);
        yield return ("commit", CommitText(x), CommitText(y));
        yield return ("profile · device · dtype", Setup(x), Setup(y));
        yield return ("engine · TorchSharp · libtorch", Libraries(x), Libraries(y));
        yield return ("threads", Threads(x), Threads(y));
        yield return ("started", Started(x), Started(y));
        yield return ("claims", Claims(a), Claims(b));
    }

    /// <summary>"0123456789ab (clean)", "… (uncommitted changes, diff 1a2b3c4d5e6f)", "… (working tree not recorded)".</summary>
    public static string CommitText(ReportEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        string tree = environment.GitDirty switch
        {
            false => "clean",
            true => environment.GitDiffHash is { } hash ? $"uncommitted changes, diff {hash[..Math.Min(12, hash.Length)]}" : "uncommitted changes",
            null => "working tree not recorded",
        };
        return $"{ShortCommit(environment.GitCommit)} ({tree})";
    }

    private static string Claims(HistoryEntry entry) =>
        $"{entry.Claims.Count.ToString(CultureInfo.InvariantCulture)}: {CountsLine(ReportCounts.Of([.. entry.Claims.Select(c => c.Verdict)]))}";

    private static string Setup(ReportEnvironment e) => $"{e.Profile.Name} · {e.Device} · {Recorded(e.Dtype)}";

    private static string Recorded(string value) => value.Length == 0 ? "not recorded" : value;

    private static string Libraries(ReportEnvironment e) => $"{Recorded(e.Engine)} · {e.TorchSharpVersion} · {e.LibTorchVersion}";

    private static string Threads(ReportEnvironment e) =>
        e.Threads.ToString(CultureInfo.InvariantCulture)
        + (e.ParallelRuns > 1 ? $" x {e.ParallelRuns.ToString(CultureInfo.InvariantCulture)} runs" : "");

    private static string Started(ReportEnvironment e) => e.Started.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) + " UTC";

    private static string Change(ClaimDiff claim) => claim switch
    {
        { IsNew: true } => "new",
        { IsMissing: true } => "missing",
        { VerdictChanged: true } => "**verdict**",
        { RuleVerdictChanged: true } => "rule verdict",
        _ when claim.Values.Any(v => v.HasMoved) => "values",
        _ => "threshold",
    };

    private static string Verdict(HistoryClaim? claim) => claim is null ? "—" : VerdictText(claim);

    /// <summary>"CONFIRMED", or "INCONCLUSIVE (rule: REFUTED)" where the control or a declared defect bounded the rule's verdict.</summary>
    public static string VerdictText(HistoryClaim claim)
    {
        ArgumentNullException.ThrowIfNull(claim);
        return claim.RuleVerdict == claim.Verdict ? Badge(claim.Verdict) : $"{Badge(claim.Verdict)} (rule: {Badge(claim.RuleVerdict)})";
    }

    private static string Values(ClaimDiff claim) => claim.Values.Count == 0
        ? ""
        : string.Join("; ", claim.Values.Select(Value));

    /// <summary>"x: 0.5 [0.4, 0.6] → 0.3 [0.25, 0.35]", "x: threshold &lt;= 0.01 → &lt;= 0.0001", or both.</summary>
    private static string Value(ValueChange change)
    {
        var parts = new List<string>();
        if (change.HasMoved)
        {
            parts.Add($"{Estimate(change.Before)} → {Estimate(change.After)}");
        }

        if (change.RuleChanged)
        {
            parts.Add($"threshold {Rule(change.Before!)} → {Rule(change.After!)}");
        }

        return $"{change.Key}: {string.Join(", ", parts)}";
    }

    private static string Rule(HistoryComparison c) => $"{Grokking.Claims.Contracts.Relations.Symbol(c.Relation)} {Number(c.Threshold)}";

    /// <summary>"0.5 [0.4, 0.6]", "0.5" without an interval, "none" for a comparison one side lacks.</summary>
    public static string Estimate(HistoryComparison? comparison) => comparison switch
    {
        null => "none",
        { HasInterval: true } c => $"{Number(c.Estimate)} [{Number(c.Low)}, {Number(c.High)}]{Unit(c)}",
        var c => Number(c.Estimate) + Unit(c),
    };

    private static string Unit(HistoryComparison comparison) => comparison.Unit.Length == 0 ? "" : " " + comparison.Unit;
}
