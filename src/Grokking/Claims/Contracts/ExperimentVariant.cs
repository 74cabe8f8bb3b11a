using System.Text.Json.Nodes;

namespace Grokking.Claims.Contracts;

/// <summary>
/// An alternative to a choice the papers left open (issue 28), declared in the experiment file beside the choice and
/// before it runs: a configuration layer per profile over the experiment's own. It applies to the experiment and to those
/// extending it (the arms of one setup). 'grokking verify --variants' re-runs the
/// claims that read the experiment under it and says per claim whether the verdict holds. An alternative that changes the
/// time scale (a smaller learning rate) scales the budget in the same layer, said in its reason.
/// </summary>
public sealed class ExperimentVariant
{
    /// <summary>Lower-case words joined by '-': the variant's folder under report/variants/&lt;experiment&gt;/.</summary>
    public string Name { get; set; } = "";

    /// <summary>The open choice it varies, in words ("MC's train fraction").</summary>
    public string Choice { get; set; } = "";

    /// <summary>Why this alternative, from the sources (another paper's code, the text against a caption).</summary>
    public string Reason { get; set; } = "";

    /// <summary>
    /// The settings it changes at each profile it runs at (where it is affordable), applied after that profile's layer:
    /// per profile, because a budget scaled with the alternative is the profile's budget scaled.
    /// </summary>
    public Dictionary<string, JsonObject> Layers { get; set; } = [];
}
