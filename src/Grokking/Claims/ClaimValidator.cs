using Grokking.Claims.Analyses;
using Grokking.Claims.Contracts;
using Grokking.Configuration;

namespace Grokking.Claims;

/// <summary>
/// The checks a claim file passes when the catalog loads, before anything trains; each failure names the file and the
/// field. Binding the analysis's parameters record here is what makes a missing, unknown or out-of-range parameter a
/// load error rather than a surprise after an hour of training.
/// </summary>
public sealed class ClaimValidator(
    ClaimDefinition claim,
    CatalogDefinition catalog,
    IReadOnlyDictionary<string, ExperimentDefinition> experiments,
    IReadOnlyDictionary<string, IReadOnlyList<ExperimentSetup>> setups)
{
    /// <summary>
    /// The profiles a claim may declare undecidable: those below paper. The paper profile is the paper's own setup, so a
    /// claim that it cannot decide there is not a claim the harness can audit.
    /// </summary>
    private static readonly string[] UndecidableProfiles =
        [.. Enum.GetValues<Profile>().Where(p => p < Profile.Paper).Select(p => p.Name)];

    public void Validate(string fileId)
    {
        var paper = ValidateIdentity(fileId);
        ValidateSource(paper);
        Require(experiments.ContainsKey(claim.Experiment), "experiment",
            $"'{claim.Experiment}' is unknown; known: {string.Join(", ", experiments.Keys)}");
        Require(AnalysisRegistry.TryGet(claim.Analysis, out var analysis), "analysis",
            $"'{claim.Analysis}' is unknown; known: {string.Join(", ", AnalysisRegistry.Names)}");
        Require(claim.BaselineTolerance!.Reason.Trim().Length > 0, "baselineTolerance.reason",
            "is missing: an override says why it differs from the catalog's");
        ValidateRule(analysis);
        ValidateAudit(analysis);
        ValidateUndecidable();
        ValidateExperiments();
    }

    private PaperSource ValidateIdentity(string fileId)
    {
        var match = ClaimCatalog.IdPattern().Match(claim.Id);
        var paper = match.Success ? catalog.Papers.FirstOrDefault(p => p.Prefix == match.Groups[1].Value) : null;
        Require(paper is not null, "id", $"'{claim.Id}' is not a catalog id: <prefix>-<number> with a prefix of "
            + $"claims/{CatalogDefinition.FileName} ({string.Join(", ", catalog.Papers.Select(p => p.Prefix))})");
        Require(claim.Id == fileId, "id", $"is '{claim.Id}' but the file is named '{fileId}.json'");
        Require(claim.Title.Length > 0, "title", "is missing");
        Require(claim.Statement.Length > 0, "statement", "is missing");
        Require(claim.Decision.Length > 0, "decision", "is missing");
        return paper!;
    }

    /// <summary>
    /// The section and figure name a place in the claim's paper, one line each; the paper itself is the catalog's, so
    /// a leftover document file name (the old free-text source) is rejected rather than shown twice.
    /// </summary>
    private void ValidateSource(PaperSource paper)
    {
        Require(
            !string.IsNullOrWhiteSpace(claim.Section),
            "section",
            "is missing: where in the paper the claim is made (a section number such as \"3.1\", several, "
            + "or what the document has instead, e.g. a slide's title)");
        Require(
            claim.Figure is null || claim.Figure.Trim().Length > 0,
            "figure",
            "is blank: the figure the claim reads (e.g. \"Fig. 4\"), or null when the paper shows none");
        foreach (var (field, value) in new[] { ("section", claim.Section), ("figure", claim.Figure) })
        {
            if (value is null)
            {
                continue;
            }

            Require(
                value == value.Trim() && !value.Contains('\n', StringComparison.Ordinal),
                field,
                $"'{value}' must be one line without surrounding blanks");
            bool namesDocument = value.Contains(paper.Document, StringComparison.OrdinalIgnoreCase)
                || value.Contains(".txt", StringComparison.OrdinalIgnoreCase);
            Require(
                !namesDocument,
                field,
                $"'{value}' names a document file: the paper is the catalog's {paper.Prefix} ({paper.Document}); "
                + "name only the place in it");
        }

        claim.CatalogPaper = paper;
    }

    private void ValidateRule(IClaimAnalysis analysis)
    {
        // The binder reads paper values by name; of two with one name it would take the first and ignore the other.
        // (Rule parameters are checked for the same when their blocks are resolved.)
        string? repeated = claim.Paper.GroupBy(v => v.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1)?.Key;
        Require(repeated is null, $"paper.{repeated}", "is stated twice; give each value its own name");

        foreach (var p in claim.RuleParameters)
        {
            Require(p.Reason.Trim().Length > 0, $"ruleParameters.{p.Name}.reason",
                "is missing: every rule parameter says why it has its value");
        }

        string rule = SeedRules.NameOf(analysis.SeedRule);
        Require(claim.SeedCombination == rule, "seedCombination",
            $"is '{claim.SeedCombination}', but analysis '{claim.Analysis}' combines its seeds by '{rule}' "
            + $"({SeedRules.Describe(analysis.SeedRule)})");
        claim.Parameters = RuleParameterBinder.Bind(analysis.ParametersType, claim, claim.Analysis);
    }

    /// <summary>
    /// The claim's scope and negative control (issue 25), written before the run: a known scope with its reason, and the
    /// control the analysis implements, expected REFUTED, described and with its reason.
    /// </summary>
    internal void ValidateAudit(IClaimAnalysis analysis)
    {
        Require(claim.Scope is not null, "scope",
            "is missing: {\"kind\": \"universal\" or \"typical\", \"reason\": from the paper's words}, written before the run");
        var scope = claim.Scope!;
        Require(ScopeDeclaration.TryParse(scope.Kind, out _), "scope.kind", $"is '{scope.Kind}'; allowed: universal, typical");
        Require(scope.Reason.Trim().Length > 0, "scope.reason", "is missing: why the paper's words make the claim universal or typical");
        Require(claim.Control is not null, "control",
            "is missing: the rule's negative control {name, description, expect: \"refuted\", reason}, written before the run");
        var control = claim.Control!;

        Require(analysis.ControlName is not null && control.Name == analysis.ControlName, "control.name",
            analysis.ControlName is null
                ? $"is '{control.Name}', but analysis '{claim.Analysis}' implements no control"
                : $"is '{control.Name}', but analysis '{claim.Analysis}' implements the control '{analysis.ControlName}'");
        Require(control.Expect == "refuted", "control.expect", $"is '{control.Expect}'; a negative control must be expected 'refuted'");
        Require(control.Description.Trim().Length > 0, "control.description", "is missing: what data the control is");
        Require(control.Reason.Trim().Length > 0, "control.reason", "is missing: why the rule must refute the control");
    }

    private void ValidateOutOfRegime()
    {
        foreach (var (profile, reason) in claim.OutOfRegimeAt)
        {
            Require(
                UndecidableProfiles.Contains(profile, StringComparer.Ordinal),
                $"outOfRegimeAt.{profile}",
                $"names no profile that may be out of the paper's regime (allowed: {string.Join(", ", UndecidableProfiles)}; "
                + $"the {Profile.Paper.Name} profile is the paper's setup)");
            Require(!claim.UndecidableAt.ContainsKey(profile), $"outOfRegimeAt.{profile}",
                "is also declared in undecidableAt: a profile that trains nothing has no regime to be out of; keep one");
            Require(reason.Trim().Length > 0, $"outOfRegimeAt.{profile}",
                "needs the measured reason the setup there sits in another regime than the paper's");
        }
    }

    private void ValidateInconclusive()
    {
        foreach (var (profile, reason) in claim.InconclusiveAt)
        {
            Require(ProfileNames.TryParse(profile, out _), $"inconclusiveAt.{profile}",
                $"names no profile (known: {string.Join(", ", ProfileNames.All)})");
            Require(!claim.UndecidableAt.ContainsKey(profile) && !claim.OutOfRegimeAt.ContainsKey(profile), $"inconclusiveAt.{profile}",
                "is also declared in undecidableAt or outOfRegimeAt, which give the reason already; keep one");
            Require(reason.Trim().Length > 0, $"inconclusiveAt.{profile}",
                "needs the measured reason: the comparison that straddles its threshold, its interval and the seeds that would decide");
        }
    }

    private void ValidateUndecidable()
    {
        foreach (var (profile, reason) in claim.UndecidableAt)
        {
            Require(
                UndecidableProfiles.Contains(profile, StringComparer.Ordinal),
                $"undecidableAt.{profile}",
                $"names no profile that may be undecidable (allowed: {string.Join(", ", UndecidableProfiles)}; "
                + $"the {Profile.Paper.Name} profile always decides)");
            Require(reason.Trim().Length > 0, $"undecidableAt.{profile}",
                "needs the measured reason no affordable setup decides the claim there");
        }

        ValidateOutOfRegime();
        ValidateInconclusive();
        foreach (string companion in claim.Companions)
        {
            Require(experiments.ContainsKey(companion) && companion != claim.Experiment, "companions",
                $"'{companion}' is unknown or the claim's own experiment; known: {string.Join(", ", experiments.Keys)}");
        }
    }

    private void ValidateExperiments()
    {
        var checks = ConsistencyChecks(claim.Parameters).ToList();
        foreach (var setup in claim.AllExperiments.SelectMany(name => setups[name]))
        {
            string name = setup.Experiment.Name;
            string profile = setup.Profile.Name;
            var seeds = setup.Members.Select(m => m.Seed).ToHashSet();
            string labels = string.Join("; ", setup.Members.Select(m => m.Label).Distinct());
            Require(setup.Members.Any(claim.Members.Matches), "members", $"matches no member of experiment '{name}' in profile {profile} ({labels})");
            Require(claim.Seeds.All(seeds.Contains), "seeds",
                $"includes seeds the experiment '{name}' does not run in profile {profile} ({string.Join(",", seeds)})");
            Require(setup.Profile == Profile.Smoke || seeds.Count(claim.ReadsSeed) >= SeedVerdicts.MinimumSeeds, "seeds",
                $"reads fewer than {SeedVerdicts.MinimumSeeds} seeds of experiment '{name}' in profile {profile} ({string.Join(",", seeds)})");
            foreach (var problem in checks.Select(c => c.Check(setup.Options)).OfType<string>())
            {
                Require(false, "ruleParameters", $"{problem} (experiment '{name}', profile {profile})");
            }
        }
    }

    /// <summary>The parameters record and every group inside it that checks itself against the experiment.</summary>
    private static IEnumerable<IExperimentConsistency> ConsistencyChecks(object? parameters)
    {
        if (parameters is null || parameters is string || parameters.GetType().IsPrimitive)
        {
            yield break;
        }

        if (parameters is IExperimentConsistency self)
        {
            yield return self;
        }

        foreach (var property in parameters.GetType().GetProperties().Where(p => p.PropertyType.IsClass && p.GetIndexParameters().Length == 0))
        {
            foreach (var inner in ConsistencyChecks(property.GetValue(parameters)))
            {
                yield return inner;
            }
        }
    }

    private void Require(bool ok, string field, string problem)
    {
        if (!ok)
        {
            throw new ClaimDefinitionException(claim.File, field, problem);
        }
    }
}
