using System.Text.Json;
using System.Text.Json.Serialization;
using Grokking.Claims.Contracts;
using Grokking.Configuration;
using Grokking.Runtime;
using Grokking.Training;

namespace Grokking.Claims.Scheduling;

/// <summary>
/// The recorded costs of a profile's suite (baselines/&lt;profile&gt;/costs.json): each experiment's training seconds and
/// each claim's analysis seconds. They only order work (<see cref="LanePlan"/>) and project the suite's minutes
/// (<see cref="SuiteProjection"/>): a cost is advice, never a result, so a missing or damaged file is no error — the
/// suite falls back to catalog order and says so in one line.
/// </summary>
public sealed record RunCosts(
    string Profile,
    string Note,
    IReadOnlyDictionary<string, RecordedCost> Experiments,
    IReadOnlyDictionary<string, RecordedCost> Claims)
{
    public const string FileName = "costs.json";

    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping, // a note's apostrophes stay readable
    };

    /// <summary>No recorded cost: every run is unknown and keeps its catalog place.</summary>
    public static RunCosts None(Profile profile) =>
        new(profile.Name, "", new Dictionary<string, RecordedCost>(), new Dictionary<string, RecordedCost>());

    /// <summary>Where a profile's committed costs are: baselines/&lt;profile&gt;/costs.json.</summary>
    public static string PathIn(string baselinesDirectory, Profile profile) => Path.Combine(baselinesDirectory, profile.Name, FileName);

    /// <summary>An experiment's recorded training seconds; null when none is recorded.</summary>
    public double? TrainingSeconds(string experiment) => Experiments.TryGetValue(experiment, out var c) ? c.Seconds : null;

    /// <summary>A claim's recorded analysis seconds; null when none is recorded.</summary>
    public double? AnalysisSeconds(string claim) => Claims.TryGetValue(claim, out var c) ? c.Seconds : null;

    /// <summary>
    /// The costs in <paramref name="path"/>, or <see cref="None"/> and one line saying why they are not used (missing,
    /// not JSON, another profile's, a cost that is not a finite number of seconds &gt;= 0); the warning is null when read.
    /// </summary>
    public static (RunCosts Costs, string? Warning) Load(string path, Profile profile)
    {
        string fallback = "the suite runs in catalog order";
        if (!File.Exists(path))
        {
            return (None(profile), $"no recorded costs ({path} is missing): {fallback}");
        }

        try
        {
            var costs = JsonSerializer.Deserialize<RunCosts>(File.ReadAllText(path), Json);
            string? problem = Problem(costs, profile);
            return problem is null ? (costs!, null) : (None(profile), $"recorded costs ignored ({path}: {problem}): {fallback}");
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Whatever is wrong with it, a cost file is advice: the suite runs without it rather than not at all.
            string problem = e is JsonException json ? JsonText.Describe(json) : e.Message;
            return (None(profile), $"recorded costs ignored ({path}: {problem}): {fallback}");
        }
    }

    private static string? Problem(RunCosts? costs, Profile profile)
    {
        if (costs is null || costs.Experiments is null || costs.Claims is null)
        {
            return "not a costs file (profile, note, experiments, claims)";
        }

        if (costs.Profile != profile.Name)
        {
            return $"the costs of profile '{costs.Profile}', not '{profile.Name}'";
        }

        var bad = costs.Experiments.Concat(costs.Claims)
            .FirstOrDefault(e => e.Value is null || !double.IsFinite(e.Value.Seconds) || e.Value.Seconds < 0 || e.Value.Engine is null);
        return bad.Key is null ? null : $"'{bad.Key}' has no finite number of seconds >= 0 with its engine";
    }

    /// <summary>Writes the costs (sorted by name, so that a re-accepted file differs only where a cost moved).</summary>
    public void Save(string path)
    {
        var sorted = this with
        {
            Experiments = new SortedDictionary<string, RecordedCost>(Experiments.ToDictionary(), StringComparer.Ordinal),
            Claims = new SortedDictionary<string, RecordedCost>(Claims.ToDictionary(), StringComparer.Ordinal),
        };
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        AtomicFile.WriteAllText(path, JsonSerializer.Serialize(sorted, Json) + "\n");
    }

    /// <summary>
    /// These costs with <paramref name="measured"/>'s entries in place of their own (a partial verify updates only its
    /// part); an experiment the measuring verify read from the cache only fills a missing entry (<see cref="RecordedCost.FromCache"/>).
    /// </summary>
    public RunCosts Merge(RunCosts measured) => this with
    {
        Note = measured.Note,
        Experiments = Merged(Experiments, measured.Experiments),
        Claims = Merged(Claims, measured.Claims),
    };

    private static Dictionary<string, RecordedCost> Merged(
        IReadOnlyDictionary<string, RecordedCost> old, IReadOnlyDictionary<string, RecordedCost> now)
    {
        var merged = old.ToDictionary();
        foreach (var (name, cost) in now)
        {
            if (!cost.FromCache || !merged.ContainsKey(name))
            {
                merged[name] = cost;
            }
        }

        return merged;
    }

    /// <summary>
    /// Records the costs a verify measured (<paramref name="measuredPath"/>, its report folder's costs.json) into the
    /// profile's committed file (<paramref name="recordedPath"/>), keeping the entries it did not measure; returns what it
    /// did, in one line. An unreadable measured file changes nothing and says so; a missing one (no verify ran) changes
    /// nothing silently (null).
    /// </summary>
    /// <param name="shownAs">How the line names the recorded file (baselines/ci/costs.json); the path when null.</param>
    public static string? Record(string measuredPath, string recordedPath, Profile profile, string? shownAs = null)
    {
        if (!File.Exists(measuredPath))
        {
            return null;
        }

        var (measured, warning) = Load(measuredPath, profile);
        if (warning is not null)
        {
            return $"recorded costs unchanged: {warning.Replace(": the suite runs in catalog order", "", StringComparison.Ordinal)}";
        }

        var (recorded, _) = Load(recordedPath, profile);
        recorded.Merge(measured).Save(recordedPath);
        return $"recorded the costs of {measured.Experiments.Count} experiment(s) and {measured.Claims.Count} claim(s) "
            + $"into {shownAs ?? recordedPath}";
    }

    /// <summary>
    /// What a suite measured: each trained experiment's training seconds (the longest its claims report; a run read from
    /// the cache reports the seconds it trained in) and each decided claim's analysis seconds. Errors and claims whose
    /// data are missing measured nothing and are left out.
    /// </summary>
    public static RunCosts Measured(Profile profile, IReadOnlyList<ClaimOutcome> outcomes, int threads, DateOnly day)
    {
        var trained = outcomes.SelectMany(o => o.RunMinutes.Select(r => r.Key).Except(o.CachedRuns)).ToHashSet();
        var experiments = outcomes
            .SelectMany(o => o.RunMinutes)
            .Where(r => r.Value > 0)
            .GroupBy(r => r.Key)
            .ToDictionary(g => g.Key, g => new RecordedCost(Math.Round(g.Max(r => r.Value) * 60, 1), EngineVersion.Value, day)
            {
                FromCache = !trained.Contains(g.Key),
            });
        var claims = outcomes
            .Where(o => o.Verdict is not (Verdict.Error or Verdict.DataMissing))
            .ToDictionary(o => o.Id, o => new RecordedCost(Math.Round(o.AnalysisSeconds, 1), EngineVersion.Value, day));
        string note = $"measured by a verify of profile {profile.Name} with {threads} torch thread(s) per run: experiments' training seconds, "
            + "claims' analysis seconds (the claim's analysis and control, waiting for runs excluded)";
        return new RunCosts(profile.Name, note, experiments, claims);
    }
}
