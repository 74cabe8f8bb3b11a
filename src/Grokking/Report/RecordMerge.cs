using Grokking.Claims;
using Grokking.Claims.Baselines;
using Grokking.Claims.Contracts;
using Grokking.Claims.Scheduling;
using Grokking.Configuration;
using Grokking.Runtime;

namespace Grokking.Report;

/// <summary>
/// 'grokking report merge DIR…': the result records of any number of shards joined into one report. Every claim of the
/// records' selection must have exactly one record (two files of one name are one record: the name is the content's
/// digest); a record that is missing, duplicated, of another profile or of another selection is one error naming the claim
/// or the file (<see cref="OptionsException"/>, exit 2), a damaged one names the file (<see cref="DamagedFileException"/>).
/// </summary>
public sealed class RecordMerge
{
    private RecordMerge(ClaimCatalog catalog, Profile profile, IReadOnlyList<ResultRecord> records)
    {
        Catalog = catalog;
        Profile = profile;
        Records = records;
    }

    public ClaimCatalog Catalog { get; }

    public Profile Profile { get; }

    /// <summary>One record per claim, in catalog order (claims that errored last, as a verify's report lists them).</summary>
    public IReadOnlyList<ResultRecord> Records { get; }

    /// <summary>The records' outcomes, in the order of <see cref="Records"/>.</summary>
    public IReadOnlyList<ClaimOutcome> Outcomes => [.. Records.Select(r => r.Outcome with { CachedRuns = r.CachedRuns })];

    /// <summary>Reads and checks the records under <paramref name="directories"/> against the catalog and the profile.</summary>
    public static RecordMerge Read(IReadOnlyList<string> directories, ClaimCatalog catalog, Profile profile)
    {
        if (directories.FirstOrDefault(d => !Directory.Exists(d)) is { } absent)
        {
            throw new OptionsException("DIR", $"Invalid value for 'DIR': records folder '{absent}' does not exist");
        }

        var files = ResultRecordFile.Find(directories).DistinctBy(Path.GetFileName, StringComparer.Ordinal).ToList();
        if (files.Count == 0)
        {
            throw new OptionsException(
                "DIR", $"Invalid value for 'DIR': no result records (<claim>.<sha256>.json) under {string.Join(", ", directories)}");
        }

        var records = files.Select(f => (Path: f, Record: ResultRecordFile.Read(f))).ToList();
        var selection = CheckedSelection(records, catalog, profile);
        var byClaim = records.ToLookup(r => r.Record.Claim, StringComparer.Ordinal);
        if (selection.FirstOrDefault(id => byClaim[id].Count() > 1) is { } twice)
        {
            throw new OptionsException(
                "DIR", $"claim {twice} has {byClaim[twice].Count()} records, one allowed: {string.Join(", ", byClaim[twice].Select(r => r.Path))}");
        }

        var missing = selection.Where(id => !byClaim[id].Any()).ToList();
        if (missing.Count > 0)
        {
            throw new OptionsException(
                "DIR", $"no record of claim {string.Join(", ", missing)} under {string.Join(", ", directories)} "
                    + $"({records.Count} of the selection's {selection.Count} claims have one: was a shard not run, or its records not copied?)");
        }

        var ordered = selection.Select(id => byClaim[id].Single().Record).OrderBy(r => r.Outcome.Verdict == Verdict.Error ? 1 : 0).ToList();
        return new RecordMerge(catalog, profile, ordered);
    }

    /// <summary>The selection every record names (catalog order), checked: one profile, one selection, claims the catalog holds.</summary>
    private static IReadOnlyList<string> CheckedSelection(List<(string Path, ResultRecord Record)> records, ClaimCatalog catalog, Profile profile)
    {
        if (records.FirstOrDefault(r => r.Record.Profile != profile) is { Path: not null } other)
        {
            throw new OptionsException(
                "Profile", $"{other.Path} is a record of profile {other.Record.Profile.Name}, and this merge is of profile {profile.Name} "
                    + $"(set --profile {other.Record.Profile.Name})");
        }

        var first = records[0];
        var differs = records.FirstOrDefault(r => !r.Record.Selection.SequenceEqual(first.Record.Selection, StringComparer.Ordinal));
        if (differs.Path is not null)
        {
            throw new OptionsException(
                "DIR", $"{differs.Path} was made for another selection of claims ({differs.Record.Selection.Count}) than {first.Path} "
                    + $"({first.Record.Selection.Count}): shards of one run name the same --claims");
        }

        var known = catalog.Claims.Select(c => c.Id).ToHashSet(StringComparer.Ordinal);
        if (first.Record.Selection.FirstOrDefault(id => !known.Contains(id)) is { } unknown)
        {
            throw new OptionsException("DIR", $"{first.Path}: its selection names claim {unknown}, which claims/ does not hold");
        }

        return first.Record.Selection;
    }

    /// <summary>
    /// Where and how the records were made, joined: each field's distinct values (one when the shards agree), the first
    /// shard's start and the last record's writing as the span of the fan-out.
    /// </summary>
    public ReportEnvironment Environment()
    {
        var p = Records.Select(r => r.Provenance).ToList();
        string Joined(Func<RecordProvenance, string> field) => string.Join(", ", p.Select(field).Distinct(StringComparer.Ordinal));
        var started = p.Min(x => x.Started);
        int shards = p.Select(x => x.Shard).Distinct(StringComparer.Ordinal).Count();
        return new ReportEnvironment(
            Joined(x => x.GitCommit),
            Joined(x => x.TorchSharpVersion),
            Joined(x => x.LibTorchVersion),
            Joined(x => x.Device),
            p.Max(x => x.Threads),
            Profile,
            $"merged from {shards} shard(s): " + string.Join("; ", p.Select(x => x.Machine).Distinct(StringComparer.Ordinal)),
            Joined(x => x.LibStdCxxShim),
            started,
            (p.Max(x => x.Written) - started).TotalSeconds)
        {
            ParallelRuns = p.Max(x => x.ParallelRuns),
        };
    }

    /// <summary>What a reader of the merged report should know about the records' provenance: several commits, dirty trees.</summary>
    public IEnumerable<string> Warnings()
    {
        var p = Records.Select(r => r.Provenance).ToList();
        if (p.Select(x => x.GitCommit).Distinct(StringComparer.Ordinal).Count() > 1)
        {
            yield return "the records come from several commits: " + string.Join(", ", p.GroupBy(x => x.GitCommit)
                .Select(g => $"{g.Key} (shard {string.Join(", ", g.Select(x => x.Shard).Distinct().Order())})"));
        }

        if (p.Where(x => x.Dirty == true).Select(x => x.DiffSha256).Distinct().ToList() is { Count: > 0 } diffs)
        {
            yield return $"records made in a working tree with uncommitted changes (git diff sha256 {string.Join(", ", diffs)})";
        }

        if (p.Select(x => x.Engine).Distinct(StringComparer.Ordinal).Count() > 1)
        {
            yield return "the records come from several engine versions: " + string.Join(", ", p.Select(x => x.Engine).Distinct().Order());
        }
    }

    /// <summary>
    /// Writes the merged report into <paramref name="directory"/> as a verify does — report.md, .html and .json, the
    /// records' figures, and costs.json (what the shards measured, for 'grokking baselines accept') — and returns the files.
    /// </summary>
    public IReadOnlyList<string> Write(string directory, BaselineStore baselines)
    {
        Directory.CreateDirectory(directory);
        foreach (var figure in Records.SelectMany(r => r.Figures))
        {
            string path = Path.GetFullPath(Path.Combine(directory, figure.Path));
            if (!path.StartsWith(Path.GetFullPath(directory) + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            {
                throw new DamagedFileException(figure.Path, "a record's figure path leads out of the report folder");
            }

            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            AtomicFile.WriteAllBytes(path, Convert.FromBase64String(figure.Base64));
        }

        var outcomes = Outcomes;
        var ids = outcomes.Select(o => o.Id).ToList();
        var (variants, _) = VariantRuns.Load(Path.Combine(baselines.Root, Profile.Name, VariantRuns.FileName), Profile);
        var files = ClaimReport.Write(
            directory, Environment(), outcomes, ProfileAgreement.Of(Catalog, ids, baselines), [.. variants.Where(v => ids.Contains(v.Claim))]);
        string costs = Path.Combine(directory, RunCosts.FileName);
        RunCosts.Measured(Profile, outcomes, Records.Max(r => r.Provenance.Threads), DateOnly.FromDateTime(DateTime.UtcNow)).Save(costs);
        return [.. files, costs];
    }

    /// <summary>
    /// Each outcome held against its committed baseline, as verify does (a differing one writes &lt;ID&gt;.received.json
    /// beside it for 'grokking baselines accept'); claims without data measured nothing and are left out. A paper claim
    /// that has no baseline yet (not yet run, needs a GPU) is no difference: its line says why.
    /// </summary>
    public IReadOnlyList<MergeJudgement> Judge(BaselineStore baselines) =>
    [
        .. Outcomes.Where(o => o.Verdict != Verdict.DataMissing).Select(o =>
        {
            var claim = Catalog.Get(o.Id);
            if (MissingBaseline.Reason(claim, Catalog, baselines, Profile) is { } notYet)
            {
                return new MergeJudgement(o.Id, false, $"baseline {o.Id}: {notYet}");
            }

            var comparison = baselines.Compare(BaselineSnapshot.From(o, claim.BaselineTolerance!));
            return comparison.Matches
                ? new MergeJudgement(o.Id, false, null)
                : new MergeJudgement(
                    o.Id, true, $"baseline {o.Id}: {string.Join("; ", comparison.Differences)} (received: {comparison.ReceivedPath})");
        }),
    ];
}
