using Grokking.Claims.Analyses;
using Grokking.Claims.Contracts;

namespace Grokking.Claims;

/// <summary>
/// Applies a claim's rule to its negative control and lets the control's verdict bound the claim's (issue 25): a
/// control that comes out CONFIRMED shows the rule cannot discriminate, so the claim is INCONCLUSIVE with that reason
/// whatever its data say; a control that comes out INCONCLUSIVE leaves the rule's ability to fail unshown, which the
/// reason says; a REFUTED control (the expected verdict) leaves the claim's verdict as it is.
/// </summary>
public static class ControlCheck
{
    public static (AnalysisResult Result, ControlOutcome? Control) Apply(IClaimAnalysis analysis, ClaimContext context, AnalysisResult result)
    {
        var declared = context.Claim.Control;
        if (declared is null || analysis.ControlName is null)
        {
            return (result, null);
        }

        var control = analysis.AnalyzeControl(context);
        var outcome = new ControlOutcome(
            declared.Name, declared.Description, Verdict.Refuted, control.Verdict, control.Reason, control.Comparisons);
        return (Bound(result, outcome) with { Figures = [.. result.Figures, .. control.Figures] }, outcome);
    }

    /// <summary>The claim's result as its control's verdict leaves it.</summary>
    public static AnalysisResult Bound(AnalysisResult result, ControlOutcome control) => control.Verdict switch
    {
        Verdict.Confirmed => result with
        {
            Verdict = Verdict.Inconclusive,
            Reason = $"the rule cannot discriminate: its negative control '{control.Name}' came out CONFIRMED ({control.Reason}); "
                + $"on the claim's data alone it says {Upper(result.Verdict)}: {result.Reason}",
        },
        Verdict.Inconclusive => result with
        {
            Reason = $"{result.Reason} (negative control '{control.Name}' came out INCONCLUSIVE: the rule's ability to fail is "
                + $"unshown here: {control.Reason})",
        },
        _ => result,
    };

    private static string Upper(Verdict verdict) => verdict.ToString().ToUpperInvariant();
}
