using System.Text.Json;
using System.Text.Json.Nodes;
using Grokking.Claims;
using Grokking.Claims.Contracts;
using Grokking.Claims.Scheduling;
using Grokking.Runtime;
using Grokking.Training;

namespace Grokking.Report;

/// <summary>
/// 'grokking verify --shard i/n': the claims of one shard of the plan (<see cref="ShardPlan"/>), each outcome written as a
/// <see cref="ResultRecord"/> into the records folder as soon as it settles. Resumable: a claim whose record is already
/// there with a verdict, made by this engine for the same selection, profile and experiment settings, is not verified
/// again; a newer record of a claim replaces the older ones. A shard that finishes (not interrupted) leaves
/// <c>shard-&lt;i&gt;-of-&lt;n&gt;.done</c> listing its records, which a scheduler's merge step may wait for.
/// </summary>
public sealed class ShardVerification
{
    private readonly ClaimSuiteSettings settings;
    private readonly ClaimCatalog catalog;
    private readonly List<ResultRecord> kept;
    private readonly List<(ResultRecord Record, string Path)> written = [];
    private readonly GitWorkingTree tree;
    private readonly string commit;

    private ShardVerification(ClaimSuiteSettings settings, ClaimCatalog catalog, ShardPlan plan, PlannedShard shard, IReadOnlyList<string> selection,
        string records, List<ResultRecord> kept)
    {
        this.settings = settings;
        this.catalog = catalog;
        this.kept = kept;
        Plan = plan;
        Shard = shard;
        Selection = selection;
        RecordsDirectory = records;
        Remaining = [.. shard.Claims.Where(id => kept.All(r => r.Claim != id))];
        commit = GitInfo.Commit(settings.RepositoryRoot);
        tree = GitWorkingTree.Read(settings.RepositoryRoot);
    }

    public ShardPlan Plan { get; }

    public PlannedShard Shard { get; }

    /// <summary>Every claim of the selection the shards split, in catalog order.</summary>
    public IReadOnlyList<string> Selection { get; }

    public string RecordsDirectory { get; }

    /// <summary>The shard's claims that have no record to keep, in catalog order: those <see cref="Run"/> verifies.</summary>
    public IReadOnlyList<string> Remaining { get; }

    /// <summary>The records of the shard's claims found in the records folder and kept.</summary>
    public IReadOnlyList<ResultRecord> Kept => kept;

    /// <summary>The records this shard wrote, with their paths.</summary>
    public IReadOnlyList<(ResultRecord Record, string Path)> Written => written;

    /// <summary>The shard's outcomes so far, kept and written, in catalog order.</summary>
    public IReadOnlyList<ClaimOutcome> Outcomes
    {
        get
        {
            var place = Selection.Select((id, i) => (id, i)).ToDictionary(x => x.id, x => x.i, StringComparer.Ordinal);
            return [.. kept.Concat(written.Select(w => w.Record)).Select(r => r.Outcome).OrderBy(o => place[o.Id])];
        }
    }

    /// <summary>
    /// The plan of the selection on <paramref name="count"/> shards, shard <paramref name="index"/> (1-based) of it, and the
    /// records of its claims already in <paramref name="records"/> (each read back and checked: a damaged one is an error).
    /// </summary>
    public static ShardVerification Prepare(
        ClaimSuiteSettings settings, IReadOnlyCollection<string>? patterns, int index, int count, string records, TextWriter? log = null)
    {
        var catalog = ClaimCatalog.Load(settings.ClaimsDirectory);
        var selection = catalog.Select(patterns);
        var (costs, warning) = RunCosts.Load(RunCosts.PathIn(settings.BaselinesDirectory, settings.Profile), settings.Profile);
        if (warning is not null)
        {
            log?.WriteLine($"warning: {warning} (every shard plans with the same files, so the shards still agree)");
        }

        var plan = ShardPlan.For(catalog, selection, costs, settings.Profile, count);
        var shard = plan.Shard(index);
        List<string> ids = [.. selection.Select(c => c.Id)];
        var existing = Directory.Exists(records)
            ? Directory.EnumerateFiles(records, "*.json")
                .Where(f => ResultRecordFile.ClaimOf(f) is { } claim && shard.Claims.Contains(claim, StringComparer.Ordinal))
                .Select(ResultRecordFile.Read)
                .ToList()
            : [];
        var kept = existing
            .GroupBy(r => r.Claim, StringComparer.Ordinal)
            .Where(g => g.Count() == 1)
            .Select(g => g.Single())
            .Where(r => r.Decided && r.Profile == settings.Profile && r.Selection.SequenceEqual(ids, StringComparer.Ordinal)
                && r.Provenance.Engine == EngineVersion.Value
                && SameConfiguration(r.Configuration, ConfigurationOf(catalog, settings, r.Claim, "cpu")))
            .OrderBy(r => ids.IndexOf(r.Claim))
            .ToList();
        return new ShardVerification(settings, catalog, plan, shard, ids, records, kept);
    }

    /// <summary>
    /// Verifies <see cref="Remaining"/> with <paramref name="suite"/> (a suite of exactly those claims), writing each
    /// outcome's record as it settles; then, unless interrupted, the shard's done marker.
    /// </summary>
    public void Run(ClaimSuite suite, IProgress<ClaimProgress>? progress = null, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(suite);
        if (!suite.Selection.Select(c => c.Id).SequenceEqual(Remaining, StringComparer.Ordinal))
        {
            throw new ArgumentException(
                $"the suite verifies {string.Join(", ", suite.Selection.Select(c => c.Id))}, not the shard's remaining claims", nameof(suite));
        }

        suite.VerifyAll(progress, outcome => Keep(suite, outcome), cancel);
        Finish();
    }

    /// <summary>Writes the done marker: the shard's records, one file name a line.</summary>
    public string Finish()
    {
        string marker = Path.Combine(RecordsDirectory, $"shard-{Shard.Index}-of-{Shard.Count}.done");
        var names = kept.Select(ResultRecordFile.NameOf).Concat(written.Select(w => Path.GetFileName(w.Path))).Order(StringComparer.Ordinal);
        Directory.CreateDirectory(RecordsDirectory);
        AtomicFile.WriteAllText(marker, string.Concat(names.Select(n => n + "\n")));
        return marker;
    }

    /// <summary>Writes an outcome's record, then removes the records of its claim it replaces.</summary>
    private void Keep(ClaimSuite suite, ClaimOutcome outcome)
    {
        var record = RecordOf(suite, outcome);
        string path = ResultRecordFile.Write(RecordsDirectory, record);
        var replaced = Directory.EnumerateFiles(RecordsDirectory, "*.json").Where(f => ResultRecordFile.ClaimOf(f) == outcome.Id && f != path);
        foreach (string old in replaced.ToList())
        {
            File.Delete(old);
        }

        written.Add((record, path));
    }

    private ResultRecord RecordOf(ClaimSuite suite, ClaimOutcome outcome)
    {
        var configuration = ConfigurationOf(catalog, settings, outcome.Id, suite.RuntimeInfo.DeviceName);
        var runtime = suite.RuntimeInfo;
        string dtype = string.Join(", ", configuration.Select(c => c.Options["Model"]?["Precision"]?.ToString() ?? "float32").Distinct().Order());
        var provenance = new RecordProvenance(
            commit, tree.Dirty, tree.DiffHash, EngineVersion.Value, runtime.TorchSharpVersion, runtime.LibTorchVersion, runtime.DeviceName,
            dtype, runtime.Threads, runtime.ParallelRuns, ReportEnvironment.ThisMachine(), runtime.Compatibility.Decision.Describe(), Shard.Name,
            suite.Started, DateTimeOffset.UtcNow);
        return new ResultRecord(
            ResultRecord.Version, outcome.Id, settings.Profile, Selection, outcome, outcome.CachedRuns, configuration, provenance,
            FiguresOf(outcome));
    }

    /// <summary>The figure files of the outcome (PNG and SVG), read from the report folder the analysis drew them in.</summary>
    private List<RecordFigure> FiguresOf(ClaimOutcome outcome) =>
    [
        .. outcome.Figures
            .SelectMany(f => new[] { f.PngPath, f.SvgPath })
            .OfType<string>()
            .Distinct(StringComparer.Ordinal)
            .Select(p => (Path: p, Full: Path.Combine(settings.ReportDirectory, p)))
            .Where(p => File.Exists(p.Full))
            .Select(p => new RecordFigure(p.Path.Replace('\\', '/'), Convert.ToBase64String(File.ReadAllBytes(p.Full)))),
    ];

    /// <summary>
    /// The resolved settings of each experiment the claim reads, as the runner resolves them (runtime, output left out), with
    /// the key of its run in the cache on <paramref name="device"/>.
    /// </summary>
    internal static List<ExperimentConfiguration> ConfigurationOf(ClaimCatalog catalog, ClaimSuiteSettings settings, string claim, string device) =>
    [
        .. catalog.Get(claim).AllExperiments.Select(name =>
        {
            var options = ExperimentResolver.Resolve(catalog.Experiments[name], settings.Profile, settings.Runtime, settings.DataLocations);
            var json = JsonSerializer.SerializeToNode(options, RunDirectory.Json)!.AsObject();
            json.Remove(nameof(options.Runtime));
            json.Remove(nameof(options.Output));
            return new ExperimentConfiguration(name, RunCache.KeyOf(options, device), json);
        }),
    ];

    /// <summary>The same experiments with the same settings (the cache keys are left out: they also name the device).</summary>
    private static bool SameConfiguration(IReadOnlyList<ExperimentConfiguration> a, List<ExperimentConfiguration> b) =>
        a.Count == b.Count && a.Zip(b).All(p => p.First.Experiment == p.Second.Experiment && JsonNode.DeepEquals(p.First.Options, p.Second.Options));
}
