namespace Grokking.Claims.Contracts;

/// <summary>One claim, as written in claims/&lt;ID&gt;.json.</summary>
public sealed class ClaimDefinition
{
    public string Id { get; set; } = "";

    public string Title { get; set; } = "";

    /// <summary>
    /// Where in its paper the claim is made: a section number ("3.1"), several ("4.1, 4.2.2"), or what the document has
    /// instead of numbers ("2, 4.3.2 and the abstract"; a slide's title for slides). The paper itself is the catalog's
    /// paper of the claim's prefix, so the document is not named here.
    /// </summary>
    public string Section { get; set; } = "";

    /// <summary>The figure(s) the claim reads ("Fig. 4", "Fig. 2c, Fig. 10"); null when the paper shows none for it.</summary>
    public string? Figure { get; set; }

    /// <summary>Set by the loader: the catalog's paper of the claim's prefix.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public PaperSource? CatalogPaper { get; set; }

    /// <summary>
    /// The paper's title with the section and figure, as the report prints them. Not named Source: a property the
    /// serializer knows (even ignored) would let a stale free-text "source" key load silently.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public ClaimSource Citation => new(CatalogPaper?.Title ?? "", Section, Figure);

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

    /// <summary>
    /// Blocks of claims/blocks/ whose rule parameters this claim states (the robust point 2, PB's drop rules); the
    /// loader adds them to <see cref="RuleParameters"/>, where a parameter of the claim's own overrides the block's.
    /// </summary>
    public List<string> Include { get; set; } = [];

    /// <summary>The decision rule's thresholds and settings, each with its reason (after loading: includes resolved).</summary>
    public List<RuleParameter> RuleParameters { get; set; } = [];

    /// <summary>The decision rule in words (the analysis implements it).</summary>
    public string Decision { get; set; } = "";

    /// <summary>Universal or typical, with the reason from the paper's words (issue 25); decides how seeds are read.</summary>
    public ScopeDeclaration? Scope { get; set; }

    /// <summary>The rule's negative control, which it must REFUTE, written before the run.</summary>
    public ControlDeclaration? Control { get; set; }

    /// <summary>The claim's scope; typical when a claim built in code (unit tests) states none.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public ClaimScope ScopeKind => Scope?.Scope ?? ClaimScope.Typical;

    /// <summary>The seeds the claim reads; empty = every seed the experiment runs in the profile (at least 3 must complete).</summary>
    public List<long> Seeds { get; set; } = [];

    public bool ReadsSeed(long seed) => Seeds.Count == 0 || Seeds.Contains(seed);

    /// <summary>The name of the analysis's seed rule (<see cref="SeedRules"/>), checked against the analysis at load.</summary>
    public string SeedCombination { get; set; } = "";

    /// <summary>The seed rule by name with what it does, as the report prints it.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public string SeedRuleDescription =>
        SeedRules.TryParse(SeedCombination, out var rule) ? $"{SeedCombination}: {SeedRules.Describe(rule)}" : SeedCombination;

    /// <summary>How far a rerun may move the claim's committed numbers; the catalog's when the claim states none.</summary>
    public BaselineTolerance? BaselineTolerance { get; set; }

    /// <summary>
    /// Profiles at which no affordable setup decides the claim, each with the measured reason (the paper setup's cost
    /// on the target machine and the reduced setups tried, with what took them out of the paper's regime). There the
    /// claim is INCONCLUSIVE with that reason and trains nothing, unless decidable claims train every run it reads: then
    /// its analysis is applied to those runs and reports their numbers; the paper profile can never be listed.
    /// </summary>
    public Dictionary<string, string> UndecidableAt { get; set; } = [];

    /// <summary>
    /// Profiles whose reduced setup was measured to sit in another regime than the paper's for this claim (issue 28: a
    /// disagreement is the ci layer's defect), each with the measured reason. There the claim's runs train and its rule
    /// is applied, so the report shows what they measure, but the verdict is INCONCLUSIVE: a decision made outside the
    /// paper's regime is not evidence about the paper's claim. Cannot name the paper profile, nor a profile that
    /// <see cref="UndecidableAt"/> names.
    /// </summary>
    public Dictionary<string, string> OutOfRegimeAt { get; set; } = [];

    /// <summary>
    /// Profiles at which the committed baseline is INCONCLUSIVE although the setup there decides in principle (in the
    /// paper's regime, affordable), each with the measured reason: which comparison straddles its threshold, its interval
    /// and the seeds that would decide, or the precondition or control that failed. DEVELOPERS.md asks for this at ci;
    /// a test keeps it in step with the baselines (a reason without an INCONCLUSIVE baseline, or the reverse, fails).
    /// The verdict is not changed by it: the report appends it to an INCONCLUSIVE result's reason.
    /// </summary>
    public Dictionary<string, string> InconclusiveAt { get; set; } = [];

    /// <summary>Choices specific to this claim (where the paper is silent), reported before the experiment's.</summary>
    public List<string> Choices { get; set; } = [];

    /// <summary>Set by the loader: the file the claim came from (for error messages).</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public string File { get; set; } = "";

    /// <summary>
    /// The analysis's parameters record: bound and validated by the loader; bound on first use for a claim built in
    /// code (unit tests), with the same checks.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public object? Parameters { get; set; }

    public T ParametersAs<T>()
        where T : class
    {
        Parameters ??= RuleParameterBinder.Bind(typeof(T), this, Analysis);
        return Parameters as T
            ?? throw new InvalidOperationException($"{Id}: parameters are {Parameters.GetType().Name}, the analysis reads {typeof(T).Name}");
    }
}
