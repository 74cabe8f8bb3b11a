using System.Text.Json;
using System.Text.RegularExpressions;
using Grokking.Claims.Analyses;
using Grokking.Claims.Contracts;
using Grokking.Configuration;

namespace Grokking.Claims;

/// <summary>
/// Loads and validates claims/&lt;ID&gt;.json and claims/experiments/&lt;name&gt;.json. Every problem names the file and
/// the field: an unknown experiment or analysis, a missing tolerance or reason, seeds the experiment does not run.
/// </summary>
public sealed partial class ClaimCatalog
{
    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNameCaseInsensitive = true,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow,
    };

    private ClaimCatalog(IReadOnlyList<PaperSource> papers, IReadOnlyList<ClaimDefinition> claims, IReadOnlyDictionary<string, ExperimentDefinition> experiments)
    {
        Papers = papers;
        Claims = claims;
        Experiments = experiments;
    }

    /// <summary>The source documents, from claims/catalog.json; their prefixes are the only valid claim-id prefixes.</summary>
    public IReadOnlyList<PaperSource> Papers { get; }

    public IReadOnlyList<ClaimDefinition> Claims { get; }

    public IReadOnlyDictionary<string, ExperimentDefinition> Experiments { get; }

    public static ClaimCatalog Load(string claimsDirectory)
    {
        if (!Directory.Exists(claimsDirectory))
        {
            throw new ClaimDefinitionException(claimsDirectory, "(directory)", "does not exist");
        }

        var catalog = ReadCatalog(claimsDirectory);
        var experiments = new Dictionary<string, ExperimentDefinition>(StringComparer.Ordinal);
        string experimentDir = Path.Combine(claimsDirectory, "experiments");
        foreach (string file in Directory.Exists(experimentDir) ? Directory.GetFiles(experimentDir, "*.json").Order().ToArray() : [])
        {
            var experiment = Read<ExperimentDefinition>(file);
            experiment.File = Relative(file);
            string expected = Path.GetFileNameWithoutExtension(file);
            if (experiment.Name != expected)
            {
                throw new ClaimDefinitionException(experiment.File, "name", $"is '{experiment.Name}' but the file is named '{expected}'");
            }

            foreach (string profile in experiment.Profiles.Keys)
            {
                if (!Enum.TryParse<Configuration.Profile>(profile, ignoreCase: true, out _))
                {
                    throw new ClaimDefinitionException(experiment.File, $"profiles.{profile}", "is not a profile; allowed: smoke, ci, paper");
                }
            }

            experiments[experiment.Name] = experiment;
        }

        foreach (var experiment in experiments.Values)
        {
            LinkBase(experiment, experiments);
        }

        // Resolved once per experiment: claims sharing an experiment are checked against the same members.
        var membersOf = experiments.Values.ToDictionary(e => e.Name, ProfileMembers);
        var claims = new List<ClaimDefinition>();
        foreach (string file in Directory.GetFiles(claimsDirectory, "*.json").Where(f => Path.GetFileName(f) != CatalogDefinition.FileName).Order())
        {
            var claim = Read<ClaimDefinition>(file);
            claim.File = Relative(file);
            claim.Baseline ??= catalog.Baseline;
            Validate(claim, Path.GetFileNameWithoutExtension(file), catalog, experiments, membersOf);
            claims.Add(claim);
        }

        return new ClaimCatalog(catalog.Papers, claims.OrderBy(c => catalog.Papers.FindIndex(p => c.Id.StartsWith(p.Prefix + "-", StringComparison.Ordinal))).ThenBy(c => int.Parse(c.Id.Split('-')[1], System.Globalization.CultureInfo.InvariantCulture)).ToList(), experiments);
    }

    /// <summary>Claims whose id matches any of the patterns (shell-style '*'), all when none are given.</summary>
    public IReadOnlyList<ClaimDefinition> Select(IReadOnlyCollection<string>? patterns)
    {
        if (patterns is null || patterns.Count == 0)
        {
            return Claims;
        }

        var regexes = patterns.Select(p => new Regex("^" + Regex.Escape(p).Replace("\\*", ".*", StringComparison.Ordinal) + "$", RegexOptions.IgnoreCase)).ToList();
        var selected = Claims.Where(c => regexes.Any(r => r.IsMatch(c.Id))).ToList();
        return selected.Count > 0
            ? selected
            : throw new Configuration.OptionsException("--claims", $"No claim matches '{string.Join(",", patterns)}'; known: {string.Join(", ", Claims.Select(c => c.Id))}");
    }

    public ClaimDefinition Get(string id) =>
        Claims.FirstOrDefault(c => c.Id == id) ?? throw new KeyNotFoundException($"no claim '{id}'");

    private static CatalogDefinition ReadCatalog(string claimsDirectory)
    {
        string file = Path.Combine(claimsDirectory, CatalogDefinition.FileName);
        if (!File.Exists(file))
        {
            throw new ClaimDefinitionException(Relative(file), "(file)", "is missing: it lists the papers (claim-id prefixes) and the default baseline tolerance");
        }

        var catalog = Read<CatalogDefinition>(file);
        string name = Relative(file);
        if (catalog.Papers.Count == 0)
        {
            throw new ClaimDefinitionException(name, "papers", "is empty");
        }

        foreach (var paper in catalog.Papers)
        {
            if (!PrefixPattern().IsMatch(paper.Prefix) || paper.Document.Length == 0)
            {
                throw new ClaimDefinitionException(name, $"papers.{paper.Prefix}", "needs an upper-case prefix and a document");
            }
        }

        if (catalog.Papers.Select(p => p.Prefix).Distinct().Count() != catalog.Papers.Count)
        {
            throw new ClaimDefinitionException(name, "papers", "repeats a prefix");
        }

        if (catalog.Baseline is null || catalog.Baseline.Reason.Trim().Length == 0)
        {
            throw new ClaimDefinitionException(name, "baseline", "is missing (relative and absolute tolerance with a reason)");
        }

        return catalog;
    }

    private static void Validate(
        ClaimDefinition claim,
        string fileId,
        CatalogDefinition catalog,
        IReadOnlyDictionary<string, ExperimentDefinition> experiments,
        Dictionary<string, Dictionary<string, IReadOnlyList<Training.MemberSpec>>> membersOf)
    {
        void Require(bool ok, string field, string problem)
        {
            if (!ok)
            {
                throw new ClaimDefinitionException(claim.File, field, problem);
            }
        }

        var match = IdPattern().Match(claim.Id);
        var paper = match.Success ? catalog.Papers.FirstOrDefault(p => p.Prefix == match.Groups[1].Value) : null;
        Require(paper is not null, "id", $"'{claim.Id}' is not a catalog id: <prefix>-<number> with a prefix of claims/{CatalogDefinition.FileName} ({string.Join(", ", catalog.Papers.Select(p => p.Prefix))})");
        Require(claim.Id == fileId, "id", $"is '{claim.Id}' but the file is named '{fileId}.json'");
        Require(claim.Title.Length > 0, "title", "is missing");
        Require(claim.Statement.Length > 0, "statement", "is missing");
        Require(claim.Source.StartsWith(paper!.Document, StringComparison.Ordinal), "source", $"must start with the document of {paper.Prefix} ({paper.Document})");
        Require(claim.Decision.Length > 0, "decision", "is missing");
        Require(claim.SeedCombination.Length > 0, "seedCombination", "is missing");
        Require(experiments.ContainsKey(claim.Experiment), "experiment", $"'{claim.Experiment}' is unknown; known: {string.Join(", ", experiments.Keys)}");
        Require(AnalysisRegistry.TryGet(claim.Analysis, out var analysis), "analysis", $"'{claim.Analysis}' is unknown; known: {string.Join(", ", AnalysisRegistry.Names)}");
        Require(claim.Baseline!.Reason.Trim().Length > 0, "baseline.reason", "is missing: an override says why it differs from the catalog's");
        foreach (var t in claim.Tolerances)
        {
            Require(t.Reason.Trim().Length > 0, $"tolerances.{t.Name}.reason", "is missing: every tolerance says why it has its value");
            Require(double.IsFinite(t.Value), $"tolerances.{t.Name}.value", "is not a finite number");
        }

        foreach (string required in analysis.RequiredTolerances)
        {
            Require(claim.Tolerances.Any(t => t.Name == required), $"tolerances.{required}", $"is missing (analysis '{claim.Analysis}' needs it)");
        }

        foreach (string required in analysis.RequiredPaperValues)
        {
            Require(claim.Paper.Any(p => p.Name == required), $"paper.{required}", $"is missing (analysis '{claim.Analysis}' reports the measurement beside it)");
        }

        foreach (var (profile, reason) in claim.UndecidableAt)
        {
            string[] allowed = ["smoke", "ci"];
            Require(allowed.Contains(profile, StringComparer.Ordinal), $"undecidableAt.{profile}", "names no profile that may be undecidable (allowed: smoke, ci; the paper profile always decides)");
            Require(reason.Trim().Length > 0, $"undecidableAt.{profile}", "needs the measured reason no affordable setup decides the claim there");
        }

        foreach (string companion in claim.Companions)
        {
            Require(experiments.ContainsKey(companion) && companion != claim.Experiment, "companions", $"'{companion}' is unknown or the claim's own experiment; known: {string.Join(", ", experiments.Keys)}");
        }

        foreach (var (experiment, profile, members) in claim.AllExperiments
                     .SelectMany(name => membersOf[name].Select(p => (experiments[name], p.Key, p.Value))))
        {
            var seeds = members.Select(m => m.Seed).ToHashSet();
            Require(members.Any(claim.Members.Matches), "members", $"matches no member of experiment '{experiment.Name}' in profile {profile} ({string.Join("; ", members.Select(m => m.Label).Distinct())})");
            Require(claim.Seeds.All(seeds.Contains), "seeds", $"includes seeds the experiment '{experiment.Name}' does not run in profile {profile} ({string.Join(",", seeds)})");
            Require(profile == "smoke" || seeds.Count(claim.ReadsSeed) >= Analyses.SeedVerdicts.MinimumSeeds, "seeds", $"reads fewer than {Analyses.SeedVerdicts.MinimumSeeds} seeds of experiment '{experiment.Name}' in profile {profile} ({string.Join(",", seeds)})");
        }
    }

    private static void LinkBase(ExperimentDefinition experiment, IReadOnlyDictionary<string, ExperimentDefinition> experiments)
    {
        if (experiment.Extends is null)
        {
            return;
        }

        if (!experiments.TryGetValue(experiment.Extends, out var parent))
        {
            throw new ClaimDefinitionException(experiment.File, "extends", $"'{experiment.Extends}' is unknown; known: {string.Join(", ", experiments.Keys)}");
        }

        var seen = new HashSet<string>(StringComparer.Ordinal) { experiment.Name };
        for (var e = parent; e is not null; e = e.Extends is null ? null : experiments.GetValueOrDefault(e.Extends))
        {
            if (!seen.Add(e.Name))
            {
                throw new ClaimDefinitionException(experiment.File, "extends", $"'{experiment.Extends}' leads into a cycle through '{e.Name}'");
            }
        }

        experiment.Base = parent;
    }

    private static Dictionary<string, IReadOnlyList<Training.MemberSpec>> ProfileMembers(ExperimentDefinition experiment)
    {
        var result = new Dictionary<string, IReadOnlyList<Training.MemberSpec>>();
        foreach (var profile in Enum.GetValues<Configuration.Profile>())
        {
            result[profile.Name] = Training.PopulationSetup.Members(ExperimentResolver.Resolve(experiment, profile));
        }

        return result;
    }

    private static T Read<T>(string file)
    {
        try
        {
            return JsonSerializer.Deserialize<T>(File.ReadAllText(file), Json) ?? throw new ClaimDefinitionException(Relative(file), "(root)", "is empty");
        }
        catch (JsonException e)
        {
            throw new ClaimDefinitionException(Relative(file), e.Path ?? "(root)", $"is invalid: {e.Message.Split(". Path:")[0]}");
        }
    }

    private static string Relative(string file)
    {
        string? root = RepositoryLocator.TryFind();
        return root is null ? file : Path.GetRelativePath(root, file);
    }

    [GeneratedRegex("^([A-Z]+)-[1-9][0-9]*$")]
    private static partial Regex IdPattern();

    [GeneratedRegex("^[A-Z]+$")]
    private static partial Regex PrefixPattern();
}
