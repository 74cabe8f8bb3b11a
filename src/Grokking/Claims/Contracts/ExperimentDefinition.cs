namespace Grokking.Claims.Contracts;

/// <summary>A named training setup shared by claims, with per-profile overrides (claims/experiments/&lt;name&gt;.json).</summary>
public sealed class ExperimentDefinition
{
    public string Name { get; set; } = "";

    public string Description { get; set; } = "";

    /// <summary>
    /// Another experiment this one is a variant of (e.g. the 2-layer or the no-norm arm of one setup): its options
    /// and profile layers come first, this file's after them (options, then the profile's layer), and its choices
    /// are reported before this file's. Keeps the arms of a comparison from drifting apart.
    /// </summary>
    public string? Extends { get; set; }

    /// <summary>Configuration layer over the built-in defaults (same keys as grokking train).</summary>
    public System.Text.Json.Nodes.JsonObject Options { get; set; } = [];

    /// <summary>Layers for smoke / ci / paper: sizes and budgets only, never the shape of the experiment.</summary>
    public Dictionary<string, System.Text.Json.Nodes.JsonObject> Profiles { get; set; } = [];

    /// <summary>
    /// Training minutes per profile, projected from a short measured run ('grokking verify --plan --record'): what a profile
    /// not yet run would cost, read by the report where a verdict is missing.
    /// </summary>
    public Dictionary<string, ProjectedCost> Projected { get; set; } = [];

    /// <summary>Alternatives to the choices above, re-run by 'grokking verify --variants' (none by default).</summary>
    public List<ExperimentVariant> Variants { get; set; } = [];

    /// <summary>Data the experiment reads from outside the repository; null when it generates its own (most do).</summary>
    public DataRequirement? Data { get; set; }

    /// <summary>Its own data requirement, else the one of the experiment it extends.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public DataRequirement? DataOrBase => Data ?? Base?.DataOrBase;

    /// <summary>Where the papers are silent or inconsistent: what was chosen and why.</summary>
    public List<string> Choices { get; set; } = [];

    [System.Text.Json.Serialization.JsonIgnore]
    public string File { get; set; } = "";

    /// <summary>Set by the loader from <see cref="Extends"/>.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public ExperimentDefinition? Base { get; set; }

    /// <summary>The base chain's choices, then this experiment's.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public IReadOnlyList<string> AllChoices => [.. Base?.AllChoices ?? [], .. Choices];
}
