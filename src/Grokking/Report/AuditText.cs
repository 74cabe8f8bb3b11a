using System.Globalization;
using Grokking.Claims.Contracts;
using static Grokking.Report.ReportText;

namespace Grokking.Report;

/// <summary>
/// The audit's words (issue 25), raw like <see cref="ReportText"/>'s: each claim's scope, its rule in one line, each
/// decisive comparison with its 95 % interval and flip point, its negative control's verdict, and the rule's verdict
/// when the control changed the claim's.
/// </summary>
internal static class AuditText
{
    public static IReadOnlyList<string> ComparisonHeaders { get; } =
        ["Rule", "Measured [95 % interval]", "Interval", "Per seed", "Verdict and flip point", "Seeds to decide"];

    /// <summary>The verdict, and the rule's own when its control changed it ("INCONCLUSIVE (rule: CONFIRMED)").</summary>
    public static string VerdictText(ClaimOutcome outcome) => VerdictText(outcome.Verdict, outcome.RuleVerdict);

    /// <summary>The verdict, and the rule's own where it differs (a claim's, or one under an alternative).</summary>
    public static string VerdictText(Verdict verdict, Verdict? rule) =>
        rule is { } r && r != verdict ? $"{Badge(verdict)} (rule: {Badge(r)})" : Badge(verdict);

    public static string ScopeName(ClaimScope scope) => ScopeDeclaration.NameOf(scope);

    public static string ScopeLine(ClaimOutcome outcome) => outcome.Scope == ClaimScope.Universal
        ? "Scope: universal (the paper says it always happens: one seed past the threshold by more than the resolution refutes)"
        : "Scope: typical (the paper describes the usual behaviour: the 95 % interval decides; straddling the threshold is "
            + "INCONCLUSIVE within noise)";

    /// <summary>The rule in one line: every decisive comparison, all of which must hold.</summary>
    public static string RuleLine(ClaimOutcome outcome) => outcome.Comparisons.Count == 0
        ? $"Rule: {Absent} (no decisive comparison recorded)"
        : "Rule: " + string.Join(" and ", outcome.Comparisons.Select(c => c.Rule));

    /// <summary>One row of a comparisons table, in the order of <see cref="ComparisonHeaders"/>.</summary>
    public static string[] ComparisonCells(Comparison c) =>
    [
        c.Rule,
        MeasuredInterval(c),
        IntervalMethods.Describe(c.Method),
        c.PerSeed.Count == 0 ? Absent : string.Join(", ", c.PerSeed.Select(Number)),
        FlipLine(c),
        c.SeedsNeeded is { } n ? n.ToString(CultureInfo.InvariantCulture) : Absent,
    ];

    /// <summary>"0.1455 [0.0451, 0.2459]", with the worst seed of a universal claim and the resolution when there is one.</summary>
    public static string MeasuredInterval(Comparison c)
    {
        string unit = c.Unit.Length == 0 ? "" : " " + c.Unit;
        string text = $"{Number(c.Estimate)} [{Number(c.Low)}, {Number(c.High)}]{unit}";
        if (c.Scope == ClaimScope.Universal)
        {
            text += $"; worst seed {Number(c.Worst)}";
        }

        return c.Resolution > 0 ? text + $"; resolution {Number(c.Resolution)}" : text;
    }

    /// <summary>"REFUTED at &lt;= 0.1; confirms at a threshold &gt;= 0.24; refutes at a threshold &lt; 0.11".</summary>
    public static string FlipLine(Comparison c)
    {
        string unit = c.Unit.Length == 0 ? "" : " " + c.Unit;
        return $"{Badge(c.Verdict)} at {Relations.Symbol(c.Relation)} {Number(c.Threshold)}{unit}; {c.Flip.Describe(c.Relation, c.Unit)}";
    }

    /// <summary>The control's verdict in a summary cell, flagged when it does not show that the rule can fail.</summary>
    public static string ControlCell(ClaimOutcome outcome) => outcome.Control switch
    {
        null => "no control",
        { Verdict: Verdict.Confirmed } => $"{Badge(Verdict.Confirmed)}: cannot discriminate",
        { Verdict: Verdict.Inconclusive } => $"{Badge(Verdict.Inconclusive)}: ability to fail unshown",
        var c => Badge(c.Verdict),
    };

    public static string ControlLine(ClaimOutcome outcome)
    {
        if (outcome.Control is not { } c)
        {
            return "Control: no control (none declared, or none ran): the rule's ability to fail is not tested here";
        }

        string what = $"Control: '{c.Name}' ({OneLine(c.Description)}) came out {Badge(c.Verdict)}";
        string meaning = c.Verdict switch
        {
            Verdict.Refuted => "as expected: the rule can fail",
            Verdict.Confirmed => "cannot discriminate: the claim is INCONCLUSIVE whatever its data say",
            _ => "ability to fail unshown",
        };
        return $"{what}, {meaning} — {OneLine(c.Reason)}";
    }

    public static string SeedsCell(ClaimOutcome outcome) =>
        $"{outcome.Seeds.Count.ToString(CultureInfo.InvariantCulture)} / {outcome.Divergences.Count.ToString(CultureInfo.InvariantCulture)}";

    public static string ControlsLine(ControlCounts counts) => "Controls: " + string.Join(" / ",
        $"{counts.Refuted.ToString(CultureInfo.InvariantCulture)} {Badge(Verdict.Refuted)} (as expected)",
        $"{counts.Confirmed.ToString(CultureInfo.InvariantCulture)} {Badge(Verdict.Confirmed)} (cannot discriminate)",
        $"{counts.Inconclusive.ToString(CultureInfo.InvariantCulture)} {Badge(Verdict.Inconclusive)} (ability to fail unshown)",
        $"{counts.Missing.ToString(CultureInfo.InvariantCulture)} missing");
}
