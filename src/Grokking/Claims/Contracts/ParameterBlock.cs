namespace Grokking.Claims.Contracts;

/// <summary>
/// claims/blocks/&lt;name&gt;.json: rule parameters that several claims state alike (the robust point 2, PB's drop rules),
/// written once with their reasons. A claim lists it under <c>include</c> and may override a field by stating a
/// parameter of the same name (with its own reason).
/// </summary>
public sealed class ParameterBlock
{
    public const string Directory = "blocks";

    public string Name { get; set; } = "";

    /// <summary>What the block defines, for a reader of the claim files.</summary>
    public string About { get; set; } = "";

    public List<RuleParameter> RuleParameters { get; set; } = [];

    /// <summary>Set by the loader: the file the block came from (for error messages).</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public string File { get; set; } = "";
}
