namespace Grokking.Claims.Contracts;

/// <summary>
/// What the claim's rule concluded on its negative control. <see cref="Expected"/> is REFUTED; a control that came out
/// CONFIRMED shows the rule cannot discriminate (the claim is then INCONCLUSIVE whatever its data say), one that came
/// out INCONCLUSIVE leaves the rule's ability to fail unshown (reported, never replaced after the fact).
/// </summary>
public sealed record ControlOutcome(
    string Name,
    string Description,
    Verdict Expected,
    Verdict Verdict,
    string Reason,
    IReadOnlyList<Comparison> Comparisons)
{
    public bool Discriminates => Verdict == Expected;
}
