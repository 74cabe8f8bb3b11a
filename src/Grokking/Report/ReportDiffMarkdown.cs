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
        ["Claim", "Change", "A", "B", "Values beyond their interval (A → B: estimate [95 % interval])"];

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
            string[] cells = [MdCell(claim.Id), Change(claim), MdCell(Verdict(claim.Before)), MdCell(Verdict(claim.After)), MdCell(Values(claim))];
            md.Append("| ").AppendJoin(" | ", cells).AppendLine(" |");
        }

        return md.ToString();
    }

    /// <summary>"2 verdicts changed · 3 claims with values beyond their interval · 1 new · 0 missing (of 40 claims in both)".</summary>
    public static string SummaryLine(ReportDiff diff)
    {
        ArgumentNullException.ThrowIfNull(diff);
        string Count(int n) => n.ToString(CultureInfo.InvariantCulture);
        var parts = new List<string>
        {
            $"{Count(diff.VerdictsChanged)} verdict{(diff.VerdictsChanged == 1 ? "" : "s")} changed",
            $"{Count(diff.ValuesMoved)} claim{(diff.ValuesMoved == 1 ? "" : "s")} with values beyond their interval",
            $"{Count(diff.New)} new",
            $"{Count(diff.Missing)} missing",
        };
        if (diff.RuleVerdictsChanged > 0)
        {
            string plural = diff.RuleVerdictsChanged == 1 ? "" : "s";
            parts.Insert(1, $"{Count(diff.RuleVerdictsChanged)} rule verdict{plural} changed under the same verdict");
        }

        return $"{string.Join(" · ", parts)} ({Count(diff.InBoth)} claims in both)";
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
        _ => "values",
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
        : string.Join("; ", claim.Values.Select(v => $"{v.Key}: {Estimate(v.Before)} → {Estimate(v.After)}"));

    /// <summary>"0.5 [0.4, 0.6]", "0.5" without an interval, "none" for a comparison one side lacks.</summary>
    public static string Estimate(HistoryComparison? comparison) => comparison switch
    {
        null => "none",
        { HasInterval: true } c => $"{Number(c.Estimate)} [{Number(c.Low)}, {Number(c.High)}]{Unit(c)}",
        var c => Number(c.Estimate) + Unit(c),
    };

    private static string Unit(HistoryComparison comparison) => comparison.Unit.Length == 0 ? "" : " " + comparison.Unit;
}
