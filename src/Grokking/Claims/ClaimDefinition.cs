namespace Grokking.Claims;

/// <summary>A number the paper reports, shown beside the measurement.</summary>
public sealed record PaperValue(string Name, double Value, string Unit = "");

/// <summary>A decision threshold of the claim, with the reason it has that value (set from the paper, before running).</summary>
public sealed record Tolerance(string Name, double Value, string Reason);

/// <summary>Which members of the experiment's population a claim reads (null = any).</summary>
public sealed record MemberFilter(double? WeightDecay = null, double? InitScale = null, double? LearningRate = null)
{
    public bool Matches(Training.MemberSpec m) =>
        (WeightDecay is null || Math.Abs(m.WeightDecay - WeightDecay.Value) < 1e-12)
        && (InitScale is null || Math.Abs(m.InitScale - InitScale.Value) < 1e-12)
        && (LearningRate is null || Math.Abs(m.LearningRate - LearningRate.Value) < 1e-12);
}

/// <summary>How close a re-run must come to the accepted baseline: max(absolute, relative x |value|).</summary>
public sealed record BaselineTolerance(double Relative, double Absolute, string Reason);

/// <summary>One claim, as written in claims/&lt;ID&gt;.json.</summary>
public sealed class ClaimDefinition
{
    public string Id { get; set; } = "";

    public string Title { get; set; } = "";

    /// <summary>Document file name and the section or figure the claim comes from.</summary>
    public string Source { get; set; } = "";

    public string Statement { get; set; } = "";

    public List<PaperValue> Paper { get; set; } = [];

    /// <summary>Name of an experiment under claims/experiments/.</summary>
    public string Experiment { get; set; } = "";

    /// <summary>Name of the analysis that turns runs into measured values and a verdict.</summary>
    public string Analysis { get; set; } = "";

    public MemberFilter Members { get; set; } = new();

    public List<Tolerance> Tolerances { get; set; } = [];

    /// <summary>The decision rule in words (the analysis implements it).</summary>
    public string Decision { get; set; } = "";

    /// <summary>The seeds the claim reads; empty = every seed the experiment runs in the profile (at least 3 must complete).</summary>
    public List<long> Seeds { get; set; } = [];

    public bool ReadsSeed(long seed) => Seeds.Count == 0 || Seeds.Contains(seed);

    /// <summary>How the seeds combine into one verdict (e.g. "the effect must hold in every seed").</summary>
    public string SeedCombination { get; set; } = "";

    public BaselineTolerance? Baseline { get; set; }

    /// <summary>Set by the loader: the file the claim came from (for error messages).</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public string File { get; set; } = "";

    public double ToleranceOf(string name) =>
        Tolerances.FirstOrDefault(t => t.Name == name)?.Value
        ?? throw new ClaimDefinitionException(File, $"tolerances.{name}", "is missing");
}

/// <summary>A named training setup shared by claims, with per-profile overrides (claims/experiments/&lt;name&gt;.json).</summary>
public sealed class ExperimentDefinition
{
    public string Name { get; set; } = "";

    public string Description { get; set; } = "";

    /// <summary>Configuration layer over the built-in defaults (same keys as grokking train).</summary>
    public System.Text.Json.Nodes.JsonObject Options { get; set; } = [];

    /// <summary>Layers for smoke / ci / paper: sizes and budgets only, never the shape of the experiment.</summary>
    public Dictionary<string, System.Text.Json.Nodes.JsonObject> Profiles { get; set; } = [];

    /// <summary>Where the papers are silent or inconsistent: what was chosen and why.</summary>
    public List<string> Choices { get; set; } = [];

    [System.Text.Json.Serialization.JsonIgnore]
    public string File { get; set; } = "";
}

/// <summary>A claim or experiment file that cannot be used: names the file and the field.</summary>
public sealed class ClaimDefinitionException(string file, string field, string problem)
    : Exception($"{file}: '{field}' {problem}")
{
    public string FileName { get; } = file;

    public string Field { get; } = field;
}
