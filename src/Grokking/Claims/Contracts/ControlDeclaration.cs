namespace Grokking.Claims.Contracts;

/// <summary>
/// Claim-file key <c>control</c>: the negative control of the claim's rule — data on which, by the rule's own logic, it
/// must not confirm (an arm the experiment trains, or a cheap synthetic series) — written before the run. <c>name</c> is
/// the control the analysis implements (checked at load), <c>expect</c> the verdict it must get (always
/// "refuted"), <c>reason</c> why the rule must refute it, from the paper's words.
/// </summary>
public sealed class ControlDeclaration
{
    public string Name { get; set; } = "";

    public string Description { get; set; } = "";

    public string Expect { get; set; } = "";

    public string Reason { get; set; } = "";
}
