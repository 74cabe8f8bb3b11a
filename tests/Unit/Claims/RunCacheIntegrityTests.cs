using Grokking.Claims;
using Grokking.Runtime;
using Grokking.Training;

namespace Grokking.Tests.Unit.Claims;

/// <summary>
/// Issue 26: a damaged cached run is detected before anything parses it, the culprit file is named, the entry is moved
/// aside unchanged (never deleted), and the run is recomputed into its directory with the undamaged result — every file
/// byte-identical to the pristine run's, so any verdict read from it equals the undamaged verdict.
/// </summary>
public sealed class RunCacheIntegrityTests(TinyCachedRun tiny) : IClassFixture<TinyCachedRun>
{
    [Fact]
    public void An_intact_entry_is_served_from_the_cache_without_recovery()
    {
        string entry = tiny.CopyEntry();

        var run = tiny.Load(entry);

        run.FromCache.Should().BeTrue();
        run.Recovered.Should().BeEmpty();
        File.Exists(Path.Combine(entry, RunManifest.FileName)).Should().BeTrue();
        Directory.GetDirectories(Path.GetDirectoryName(entry)!).Should().ContainSingle("nothing was moved aside");
    }

    [Fact]
    public void Members_json_emptied_to_an_empty_list_is_recomputed() =>
        Recovers("members.json", "2 bytes, the manifest says", path => File.WriteAllText(path, "[]"));

    [Fact]
    public void Events_json_with_garbage_is_recomputed() =>
        Recovers("events.json", "bytes, the manifest says", path => File.WriteAllText(path, "not json {"));

    [Fact]
    public void Metrics_jsonl_without_its_last_rows_is_recomputed() =>
        Recovers("metrics.jsonl", "bytes, the manifest says", path => File.WriteAllLines(path, File.ReadAllLines(path).SkipLast(2)));

    [Fact]
    public void A_deleted_weight_snapshot_is_recomputed() =>
        Recovers(tiny.Snapshot, "missing (listed in manifest.json)", File.Delete);

    [Fact]
    public void A_truncated_weight_snapshot_is_recomputed() =>
        Recovers(tiny.Snapshot, "bytes, the manifest says", path =>
        {
            using var stream = new FileStream(path, FileMode.Open);
            stream.SetLength(stream.Length - 8);
        });

    /// <summary>
    /// Cutting bytes off a snapshot is caught when the entry is read, before any analysis reads weights: the landscape
    /// values cached beside the damaged run go aside with it, and the recomputed run starts without them.
    /// </summary>
    [Fact]
    public void Landscape_values_of_a_run_with_a_truncated_snapshot_are_not_served()
    {
        string entry = tiny.CopyEntry();
        var landscape = new Grokking.Landscape.LandscapeCache(entry);
        landscape.GetOrCompute("pca", new { Steps = 3 }, () => new[] { 0.948 });
        string snapshot = Path.Combine(entry, tiny.Snapshot);
        File.WriteAllBytes(snapshot, File.ReadAllBytes(snapshot)[..^8]);

        var run = tiny.Load(entry);

        string moved = run.Recovered.Should().ContainSingle().Subject.MovedTo;
        Directory.Exists(Path.Combine(entry, "landscape")).Should().BeFalse("values computed from the damaged run are not carried over");
        File.Exists(landscape.FileOf("pca", new { Steps = 3 }).Replace(entry, moved, StringComparison.Ordinal)).Should().BeTrue();
        new Grokking.Landscape.LandscapeCache(entry).GetOrCompute("pca", new { Steps = 3 }, () => new[] { 0.5 }).Should().Equal(0.5);
    }

    [Fact]
    public void A_weight_snapshot_with_one_byte_flipped_is_recomputed() =>
        Recovers(tiny.Snapshot, "content does not match the manifest", path =>
        {
            byte[] bytes = File.ReadAllBytes(path);
            bytes[bytes.Length / 2] ^= 0x40;
            File.WriteAllBytes(path, bytes);
        });

    [Fact]
    public void A_damaged_checkpoint_state_is_recomputed() =>
        Recovers(Path.Combine("checkpoints", "state.bin"), "content does not match the manifest", path =>
        {
            byte[] bytes = File.ReadAllBytes(path);
            bytes[^1] ^= 0x01;
            File.WriteAllBytes(path, bytes);
        });

    [Fact]
    public void Complete_json_with_garbage_is_recomputed() =>
        Recovers("complete.json", "not valid JSON (line 1, column 1", path => File.WriteAllText(path, "garbage"));

    [Fact]
    public void An_entry_without_a_manifest_is_unverifiable_and_recomputed() =>
        Recovers(RunManifest.FileName, "missing: the entry was written without a manifest", File.Delete);

    [Fact]
    public void A_manifest_whose_list_was_edited_is_named_itself() =>
        Recovers(RunManifest.FileName, "its file list does not match its own digest", path =>
            File.WriteAllText(path, File.ReadAllText(path).Replace("\"Length\": ", "\"Length\": 1", StringComparison.Ordinal)));

    [Fact]
    public void A_manifest_that_is_not_json_is_named_itself() =>
        Recovers(RunManifest.FileName, "not a valid manifest (line 1, column ", path => File.WriteAllText(path, "{{"));

    /// <summary>
    /// An unexpected file is damage, not noise: analyses enumerate checkpoints/weights-step*.bin, so an unlisted snapshot
    /// would be read unverified. (Lock and pid files and the landscape/ folder are outside the manifest by design.)
    /// </summary>
    [Fact]
    public void An_unlisted_weight_snapshot_is_damage() =>
        Recovers(Path.Combine("checkpoints", "weights-step000000025.bin"), "not listed in manifest.json", path =>
            File.Copy(Path.Combine(Path.GetDirectoryName(path)!, "weights-step000000020.bin"), path));

    [Fact]
    public void Lock_and_pid_files_and_landscape_results_beside_the_run_are_not_damage()
    {
        string entry = tiny.CopyEntry();
        File.WriteAllText(Path.Combine(entry, "train.lock"), "");
        File.WriteAllText(Path.Combine(entry, "train.pid"), "123");
        Directory.CreateDirectory(Path.Combine(entry, "landscape"));
        File.WriteAllText(Path.Combine(entry, "landscape", "x.json"), "{}");

        var run = tiny.Load(entry);

        run.FromCache.Should().BeTrue();
        run.Recovered.Should().BeEmpty();
    }

    /// <summary>An unfinished entry (no completion marker) whose resume reads a damaged file is moved aside too.</summary>
    [Fact]
    public void An_unfinished_entry_whose_resume_reads_garbage_is_recomputed()
    {
        string entry = tiny.CopyEntry();
        File.Delete(Path.Combine(entry, "complete.json"));
        File.Delete(Path.Combine(entry, RunManifest.FileName));

        Recovers(entry, "metrics.jsonl", "where the checkpoint recorded", path => File.WriteAllText(path, "garbage\n"));
    }

    [Fact]
    public void A_second_load_after_recovery_is_served_intact_from_the_new_entry()
    {
        string entry = tiny.CopyEntry();
        File.WriteAllText(Path.Combine(entry, "members.json"), "[]");
        tiny.Load(entry).Recovered.Should().ContainSingle();

        var again = tiny.Load(entry);

        again.FromCache.Should().BeTrue();
        again.Recovered.Should().BeEmpty();
        RunManifest.Verify(entry);
    }

    /// <summary>What a claim's outcome reports: its runs' recoveries, then the landscape files its analysis recomputed.</summary>
    [Fact]
    public void A_claim_reports_its_runs_recoveries_and_its_recomputed_landscape_files_once()
    {
        string entry = tiny.CopyEntry();
        File.WriteAllText(Path.Combine(entry, "events.json"), "{}");
        var run = tiny.Load(entry);
        var landscape = new Grokking.Landscape.LandscapeCache(entry);
        landscape.GetOrCompute("pca", 1, () => 0.948);
        File.WriteAllText(landscape.FileOf("pca", 1), "0.762");
        landscape.GetOrCompute("pca", 1, () => 0.948).Should().Be(0.948);

        var recovered = ClaimRunner.RecoveredIn([run]);

        recovered.Select(r => r.File).Should().Equal("events.json", $"landscape/{Path.GetFileName(landscape.FileOf("pca", 1))}");
        recovered[1].Problem.Should().Contain("no integrity envelope");
        ClaimRunner.RecoveredIn([run]).Should().ContainSingle("a landscape recovery is reported by the claim that found it");
    }

    /// <summary>The one-off migration: a legacy entry that reads as a run is sealed as it is, with its landscape files.</summary>
    [Fact]
    public void Sealing_a_legacy_cache_makes_its_intact_entries_verifiable_and_leaves_a_damaged_one_to_be_recomputed()
    {
        string intact = tiny.CopyEntry();
        string root = Path.GetDirectoryName(intact)!;
        File.Delete(Path.Combine(intact, RunManifest.FileName));
        Directory.CreateDirectory(Path.Combine(intact, "landscape"));
        File.WriteAllText(Path.Combine(intact, "landscape", "pca-0123456789abcdef.json"), "[0.948]");
        string damaged = Path.Combine(root, "other-0123456789abcdef");
        Directory.Move(tiny.CopyEntry(), damaged);
        File.Delete(Path.Combine(damaged, RunManifest.FileName));
        File.WriteAllText(Path.Combine(damaged, "members.json"), "[]");
        string cut = Path.Combine(root, "cut-0123456789abcdef");
        Directory.Move(tiny.CopyEntry(), cut);
        File.Delete(Path.Combine(cut, RunManifest.FileName));
        string metrics = Path.Combine(cut, "metrics.jsonl");
        File.WriteAllLines(metrics, File.ReadAllLines(metrics).SkipLast(2));

        var lines = LegacyCacheSeal.SealLegacyEntries(root);

        lines.Should().HaveCount(3);
        lines[0].Should().StartWith($"cut-0123456789abcdef: NOT sealed, {metrics}: ").And.Contain("rows end at step 20");
        lines[1].Should().Be(
            $"other-0123456789abcdef: NOT sealed, {Path.Combine(damaged, "members.json")}: lists no members "
                + "(its next read moves it aside and retrains it)");
        lines[2].Should().Be(
            $"{Path.GetFileName(intact)}: manifest written ({TinyCachedRun.Digests(intact).Count} files); 1 landscape file(s) sealed");
        var run = tiny.Load(intact);
        run.FromCache.Should().BeTrue();
        run.Recovered.Should().BeEmpty();
        RunManifest.Exists(damaged).Should().BeFalse();
        RunManifest.Exists(cut).Should().BeFalse();
        LegacyCacheSeal.SealLegacyEntries(root)[2].Should().EndWith("manifest already present; 0 landscape file(s) sealed");
    }

    private void Recovers(string culprit, string problem, Action<string> damage) => Recovers(tiny.CopyEntry(), culprit, problem, damage);

    private void Recovers(string entry, string culprit, string problem, Action<string> damage)
    {
        string path = Path.Combine(entry, culprit);
        damage(path);
        var damagedDigests = TinyCachedRun.Digests(entry);
        string? damagedCulprit = File.Exists(path) ? FileDigest.Of(path) : null;

        var run = tiny.Load(entry);

        var recovery = run.Recovered.Should().ContainSingle().Subject;
        recovery.File.Should().Be(culprit.Replace('\\', '/'));
        recovery.Problem.Should().Contain(problem);
        recovery.Entry.Should().Be(Path.GetFileName(entry));
        recovery.Describe().Should().Contain($"cache entry {Path.GetFileName(entry)} was damaged ({recovery.File}: ").And.EndWith("; recomputed");
        Path.GetFileName(recovery.MovedTo).Should().MatchRegex(@"\.damaged-\d{8}T\d{6}$");

        // Moved aside unchanged: every file (the culprit too) is where the entry was, byte for byte.
        TinyCachedRun.Digests(recovery.MovedTo).Should().Equal(damagedDigests);
        string moved = Path.Combine(recovery.MovedTo, culprit);
        (File.Exists(moved) ? FileDigest.Of(moved) : null).Should().Be(damagedCulprit);

        // Recomputed into the original directory, equal to the undamaged run.
        run.FromCache.Should().BeFalse();
        run.Directory.Should().Be(entry);
        TinyCachedRun.Digests(entry).Should().Equal(TinyCachedRun.Digests(tiny.Pristine.Directory));
        run.Result.Metrics.Should().Equal(tiny.Pristine.Result.Metrics);
        run.Result.Members.Should().Equal(tiny.Pristine.Result.Members);
        run.Result.Events.Should().Equal(tiny.Pristine.Result.Events);
        RunManifest.Verify(entry);
    }
}
