namespace Grokking.Claims.Contracts;

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

    /// <summary>
    /// Further experiments the analysis reads beside <see cref="Experiment"/>: the other arms of a comparison that
    /// cannot share one population (another depth, no normalization). Each is its own cached run.
    /// </summary>
    public List<string> Companions { get; set; } = [];

    /// <summary>The claim's experiment followed by its companions: every run its analysis reads.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public IEnumerable<string> AllExperiments => Companions.Prepend(Experiment);

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

    /// <summary>
    /// Profiles at which no affordable setup decides the claim, each with the measured reason (the paper setup's cost
    /// on the target machine and the reduced setups tried, with what took them out of the paper's regime). There the
    /// claim is INCONCLUSIVE with that reason and trains nothing, unless decidable claims train every run it reads: then
    /// its analysis is applied to those runs and reports their numbers; the paper profile can never be listed.
    /// </summary>
    public Dictionary<string, string> UndecidableAt { get; set; } = [];

    /// <summary>Choices specific to this claim (where the paper is silent), reported before the experiment's.</summary>
    public List<string> Choices { get; set; } = [];

    /// <summary>Set by the loader: the file the claim came from (for error messages).</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public string File { get; set; } = "";

    public double PaperValueOf(string name) =>
        Paper.FirstOrDefault(p => p.Name == name)?.Value
        ?? throw new ClaimDefinitionException(File, $"paper.{name}", "is missing");

    /// <summary>A tolerance an analysis applies only when the claim states it (otherwise the number is a distance).</summary>
    public double? OptionalToleranceOf(string name) => Tolerances.FirstOrDefault(t => t.Name == name)?.Value;

    public double ToleranceOf(string name) =>
        OptionalToleranceOf(name)
        ?? throw new ClaimDefinitionException(File, $"tolerances.{name}", "is missing");
}
