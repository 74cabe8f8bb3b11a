using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Grokking.Claims.Analyses;
using Grokking.Claims.Contracts;

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

    private ClaimCatalog(IReadOnlyList<ClaimDefinition> claims, IReadOnlyDictionary<string, ExperimentDefinition> experiments)
    {
        Claims = claims;
        Experiments = experiments;
    }

    public IReadOnlyList<ClaimDefinition> Claims { get; }

    public IReadOnlyDictionary<string, ExperimentDefinition> Experiments { get; }

    public static ClaimCatalog Load(string claimsDirectory)
    {
        if (!Directory.Exists(claimsDirectory))
        {
            throw new ClaimDefinitionException(claimsDirectory, "(directory)", "does not exist");
        }

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

        var claims = new List<ClaimDefinition>();
        foreach (string file in Directory.GetFiles(claimsDirectory, "*.json").Order())
        {
            var claim = Read<ClaimDefinition>(file);
            claim.File = Relative(file);
            Validate(claim, Path.GetFileNameWithoutExtension(file), experiments);
            claims.Add(claim);
        }

        return new ClaimCatalog(claims.OrderBy(c => c.Id, ClaimIdComparer.Instance).ToList(), experiments);
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

    private static void Validate(ClaimDefinition claim, string fileId, IReadOnlyDictionary<string, ExperimentDefinition> experiments)
    {
        void Require(bool ok, string field, string problem)
        {
            if (!ok)
            {
                throw new ClaimDefinitionException(claim.File, field, problem);
            }
        }

        Require(IdPattern().IsMatch(claim.Id), "id", $"'{claim.Id}' is not a catalog id like MC-1");
        Require(claim.Id == fileId, "id", $"is '{claim.Id}' but the file is named '{fileId}.json'");
        Require(claim.Title.Length > 0, "title", "is missing");
        Require(claim.Statement.Length > 0, "statement", "is missing");
        Require(claim.Source.Length > 0, "source", "is missing");
        Require(claim.Decision.Length > 0, "decision", "is missing");
        Require(claim.SeedCombination.Length > 0, "seedCombination", "is missing");
        Require(experiments.ContainsKey(claim.Experiment), "experiment", $"'{claim.Experiment}' is unknown; known: {string.Join(", ", experiments.Keys)}");
        Require(AnalysisRegistry.TryGet(claim.Analysis, out var analysis), "analysis", $"'{claim.Analysis}' is unknown; known: {string.Join(", ", AnalysisRegistry.Names)}");
        Require(claim.Baseline is not null, "baseline", "is missing (relative and absolute tolerance with a reason)");
        Require(claim.Baseline!.Reason.Length > 0, "baseline.reason", "is missing");
        foreach (var t in claim.Tolerances)
        {
            Require(t.Reason.Trim().Length > 0, $"tolerances.{t.Name}.reason", "is missing: every tolerance says why it has its value");
            Require(double.IsFinite(t.Value), $"tolerances.{t.Name}.value", "is not a finite number");
        }

        foreach (string required in analysis.RequiredTolerances)
        {
            Require(claim.Tolerances.Any(t => t.Name == required), $"tolerances.{required}", $"is missing (analysis '{claim.Analysis}' needs it)");
        }

        var experiment = experiments[claim.Experiment];
        foreach (var (profile, seeds) in ProfileSeeds(experiment))
        {
            Require(claim.Seeds.All(seeds.Contains), "seeds", $"includes seeds the experiment '{experiment.Name}' does not run in profile {profile} ({string.Join(",", seeds)})");
            Require(profile == "smoke" || seeds.Count(claim.ReadsSeed) >= Analyses.SeedVerdicts.MinimumSeeds, "seeds", $"reads fewer than {Analyses.SeedVerdicts.MinimumSeeds} seeds of experiment '{experiment.Name}' in profile {profile} ({string.Join(",", seeds)})");
        }
    }

    private static Dictionary<string, HashSet<long>> ProfileSeeds(ExperimentDefinition experiment)
    {
        var result = new Dictionary<string, HashSet<long>>();
        foreach (var profile in Enum.GetNames<Configuration.Profile>().Select(p => p.ToLowerInvariant()))
        {
            var options = ExperimentResolver.Resolve(experiment, Enum.Parse<Configuration.Profile>(profile, true));
            result[profile] = options.Population.Seeds.Select(s => (long)s).ToHashSet();
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

    [GeneratedRegex("^(MC|PB|GV|OG|PG)-[0-9]+$")]
    private static partial Regex IdPattern();

    /// <summary>MC-2 before MC-10.</summary>
    private sealed class ClaimIdComparer : IComparer<string>
    {
        public static readonly ClaimIdComparer Instance = new();

        public int Compare(string? x, string? y)
        {
            static (string, int) Key(string? id)
            {
                var parts = (id ?? "").Split('-');
                return (parts[0], parts.Length > 1 && int.TryParse(parts[1], out int n) ? n : 0);
            }

            return Key(x).CompareTo(Key(y));
        }
    }
}
