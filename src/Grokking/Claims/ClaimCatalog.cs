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

    private ClaimCatalog(
        IReadOnlyList<PaperSource> papers,
        IReadOnlyList<ClaimDefinition> claims,
        IReadOnlyDictionary<string, ExperimentDefinition> experiments)
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
        var experiments = LoadExperiments(Path.Combine(claimsDirectory, "experiments"));
        var claims = LoadClaims(claimsDirectory, catalog, experiments);
        return new ClaimCatalog(catalog.Papers, InCatalogOrder(claims, catalog.Papers), experiments);
    }

    /// <summary>
    /// Claims whose id matches any of the patterns (shell-style '*'), all when none are given; a pattern that matches no
    /// claim is an <see cref="Configuration.OptionsException"/> naming it.
    /// </summary>
    public IReadOnlyList<ClaimDefinition> Select(IReadOnlyCollection<string>? patterns)
    {
        if (patterns is null || patterns.Count == 0)
        {
            return Claims;
        }

        // Each pattern must match a claim: a mistyped id among good ones would otherwise be dropped without a word.
        var regexes = patterns.Select(p => (Pattern: p, Regex: ShellPattern(p))).ToList();
        var unmatched = regexes.Where(r => !Claims.Any(c => r.Regex.IsMatch(c.Id))).Select(r => $"'{r.Pattern}'").ToList();
        if (unmatched.Count > 0)
        {
            throw Configuration.OptionsException.InvalidValue(
                "--claims",
                $"no claim matches {string.Join(", ", unmatched)}; known: {string.Join(", ", Claims.Select(c => c.Id))}");
        }

        return Claims.Where(c => regexes.Any(r => r.Regex.IsMatch(c.Id))).ToList();
    }

    public ClaimDefinition Get(string id) =>
        Claims.FirstOrDefault(c => c.Id == id) ?? throw new KeyNotFoundException($"no claim '{id}'");

    /// <summary>A whole-id, case-insensitive match where '*' stands for any run of characters.</summary>
    private static Regex ShellPattern(string pattern) =>
        new("^" + Regex.Escape(pattern).Replace("\\*", ".*", StringComparison.Ordinal) + "$", RegexOptions.IgnoreCase);

    /// <summary>
    /// Every claims/experiments/&lt;name&gt;.json, keyed by name, each linked to the experiment it extends.
    /// </summary>
    private static Dictionary<string, ExperimentDefinition> LoadExperiments(string experimentDir)
    {
        var experiments = new Dictionary<string, ExperimentDefinition>(StringComparer.Ordinal);
        string[] files = Directory.Exists(experimentDir) ? [.. Directory.GetFiles(experimentDir, "*.json").Order()] : [];
        foreach (string file in files)
        {
            var experiment = ReadExperiment(file);
            experiments[experiment.Name] = experiment;
        }

        // Linked only once all are read: an experiment may extend one whose file sorts after its own.
        foreach (var experiment in experiments.Values)
        {
            LinkBase(experiment, experiments);
        }

        foreach (var experiment in experiments.Values)
        {
            ValidateData(experiment);
            VariantValidator.Validate(experiment);
        }

        return experiments;
    }

    private static ExperimentDefinition ReadExperiment(string file)
    {
        var experiment = Read<ExperimentDefinition>(file);
        experiment.File = Relative(file);
        string expected = Path.GetFileNameWithoutExtension(file);
        if (experiment.Name != expected)
        {
            throw new ClaimDefinitionException(
                experiment.File, "name", $"is '{experiment.Name}' but the file is named '{expected}'");
        }

        foreach (var (profile, cost) in experiment.Projected)
        {
            static bool Minutes(double m) => double.IsFinite(m) && m >= 0;
            bool valid = Minutes(cost.CpuMinutes) && Minutes(cost.RooflineMinutes);
            if (!ProfileNames.TryParse(profile, out _) || !valid)
            {
                throw new ClaimDefinitionException(
                    experiment.File, $"projected.{profile}", $"needs a profile ({string.Join(", ", ProfileNames.All)}) and minutes >= 0");
            }
        }

        foreach (string profile in experiment.Profiles.Keys)
        {
            // ProfileNames, not Enum.TryParse: the enum parser would also take "1" as a profile.
            if (!ProfileNames.TryParse(profile, out _))
            {
                throw new ClaimDefinitionException(
                    experiment.File,
                    $"profiles.{profile}",
                    $"is not a profile; allowed: {string.Join(", ", ProfileNames.All)}");
            }
        }

        return experiment;
    }

    /// <summary>Every claims/&lt;ID&gt;.json, its parameter blocks resolved and validated, in file-name order.</summary>
    private static List<ClaimDefinition> LoadClaims(
        string claimsDirectory,
        CatalogDefinition catalog,
        IReadOnlyDictionary<string, ExperimentDefinition> experiments)
    {
        // Resolved once per experiment and profile: claims sharing an experiment are checked against the same setups.
        var setups = experiments.Values.ToDictionary(e => e.Name, ExperimentSetup.OfEveryProfile);
        var blocks = ParameterBlocks.Load(Path.Combine(claimsDirectory, ParameterBlock.Directory), Read<ParameterBlock>, Relative);
        var claimFiles = Directory
            .GetFiles(claimsDirectory, "*.json")
            .Where(f => Path.GetFileName(f) != CatalogDefinition.FileName)
            .Order();
        var claims = new List<ClaimDefinition>();
        foreach (string file in claimFiles)
        {
            var claim = Read<ClaimDefinition>(file);
            claim.File = Relative(file);
            claim.BaselineTolerance ??= catalog.BaselineTolerance;
            blocks.Resolve(claim);
            new ClaimValidator(claim, catalog, experiments, setups).Validate(Path.GetFileNameWithoutExtension(file));
            claims.Add(claim);
        }

        return claims;
    }

    /// <summary>
    /// Papers in catalog order, each paper's claims by number: MC-2 before MC-10, which file-name order would swap.
    /// </summary>
    private static List<ClaimDefinition> InCatalogOrder(List<ClaimDefinition> claims, List<PaperSource> papers) =>
        claims
            .OrderBy(c => papers.FindIndex(p => c.Id.StartsWith(p.Prefix + "-", StringComparison.Ordinal)))
            .ThenBy(c => int.Parse(c.Id.Split('-')[1], System.Globalization.CultureInfo.InvariantCulture))
            .ToList();

    private static CatalogDefinition ReadCatalog(string claimsDirectory)
    {
        string file = Path.Combine(claimsDirectory, CatalogDefinition.FileName);
        if (!File.Exists(file))
        {
            throw new ClaimDefinitionException(
                Relative(file), "(file)", "is missing: it lists the papers (claim-id prefixes) and the default baseline tolerance");
        }

        var catalog = Read<CatalogDefinition>(file);
        string name = Relative(file);
        if (catalog.Papers.Count == 0)
        {
            throw new ClaimDefinitionException(name, "papers", "is empty");
        }

        foreach (var (paper, index) in catalog.Papers.Select((p, i) => (p, i)))
        {
            ValidatePaper(name, paper, index);
        }

        if (catalog.Papers.Select(p => p.Prefix).Distinct().Count() != catalog.Papers.Count)
        {
            throw new ClaimDefinitionException(name, "papers", "repeats a prefix");
        }

        if (catalog.BaselineTolerance is null || catalog.BaselineTolerance.Reason.Trim().Length == 0)
        {
            throw new ClaimDefinitionException(name, "baselineTolerance", "is missing (relative and absolute tolerance with a reason)");
        }

        return catalog;
    }

    /// <summary>One entry of catalog.json's papers: prefix, document, title, authors and where to find it.</summary>
    private static void ValidatePaper(string name, PaperSource paper, int index)
    {
        // A paper without a prefix is named by its position in the list.
        string key = string.IsNullOrEmpty(paper.Prefix)
            ? index.ToString(System.Globalization.CultureInfo.InvariantCulture)
            : paper.Prefix;
        string field = $"papers.{key}";
        if (!PrefixPattern().IsMatch(paper.Prefix ?? "") || string.IsNullOrWhiteSpace(paper.Document))
        {
            throw new ClaimDefinitionException(name, field, "needs an upper-case prefix and a document (the file name of the team's copy)");
        }

        if (string.IsNullOrWhiteSpace(paper.Title))
        {
            throw new ClaimDefinitionException(name, $"{field}.title", "is missing: the paper's title as the document gives it");
        }

        if (paper.Authors is null || paper.Authors.Count == 0 || paper.Authors.Any(string.IsNullOrWhiteSpace))
        {
            throw new ClaimDefinitionException(
                name,
                $"{field}.authors",
                "is missing or has a blank entry: the authors as the document names them, one string each");
        }

        if (string.IsNullOrWhiteSpace(paper.WhereToFind))
        {
            throw new ClaimDefinitionException(
                name,
                $"{field}.whereToFind",
                "is missing: where a reader finds the paper (arXiv id, URL or venue as the document states it, "
                + "or what the document says instead)");
        }
    }

    /// <summary>
    /// An experiment's data requirement must be complete, and its key an option the experiment can set (bound with the
    /// package's directory, as a caller's location would be): a typo there would otherwise only show as data never found.
    /// </summary>
    private static void ValidateData(ExperimentDefinition experiment)
    {
        if (experiment.Data is not { } data)
        {
            return;
        }

        string? problem = data.Problem();
        if (problem is null)
        {
            try
            {
                ExperimentResolver.Resolve(experiment, Profile.Paper, locations: new Dictionary<string, string?> { [data.Key] = data.Directory });
            }
            catch (ClaimDefinitionException e) when (e.Field.EndsWith(data.Key, StringComparison.OrdinalIgnoreCase))
            {
                problem = $"data.key: '{data.Key}' is not an option that can name the directory '{data.Directory}' (unknown key, or not a path)";
            }
        }

        if (problem is not null)
        {
            int colon = problem.IndexOf(": ", StringComparison.Ordinal);
            throw new ClaimDefinitionException(experiment.File, problem[..colon], problem[(colon + 2)..]);
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
            throw new ClaimDefinitionException(
                experiment.File, "extends", $"'{experiment.Extends}' is unknown; known: {string.Join(", ", experiments.Keys)}");
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

    /// <summary>
    /// One claim, experiment, block or catalog file. A repeated field (the serializer would keep one of the two) and a
    /// syntax error name the file, the field and the 1-based line and column.
    /// </summary>
    private static T Read<T>(string file)
    {
        byte[] bytes = File.ReadAllBytes(file);
        if (JsonText.FirstDuplicateKey(bytes) is { } duplicate)
        {
            throw new ClaimDefinitionException(Relative(file), duplicate.Path, $"is repeated at {duplicate.Position}; keep one of the two");
        }

        try
        {
            return JsonSerializer.Deserialize<T>(bytes, Json)
                ?? throw new ClaimDefinitionException(Relative(file), "(root)", "is empty");
        }
        catch (JsonException e)
        {
            string at = JsonText.Position(e) is { } position ? $" at {position}" : "";
            string field = string.IsNullOrEmpty(e.Path) || e.Path == "$" ? "(root)" : e.Path.TrimStart('$', '.');
            throw new ClaimDefinitionException(Relative(file), field, $"is invalid{at}: {JsonText.Problem(e)}");
        }
    }

    private static string Relative(string file)
    {
        string? root = RepositoryLocator.TryFind();
        return root is null ? file : Path.GetRelativePath(root, file);
    }

    [GeneratedRegex("^([A-Z]+)-[1-9][0-9]*$")]
    internal static partial Regex IdPattern();

    [GeneratedRegex("^[A-Z]+$")]
    private static partial Regex PrefixPattern();
}
