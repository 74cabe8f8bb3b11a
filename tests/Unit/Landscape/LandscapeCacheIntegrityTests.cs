using Grokking.Landscape;
using Grokking.Runtime;
using Grokking.Tests.Unit.Engine;

namespace Grokking.Tests.Unit.Landscape;

/// <summary>
/// Issue 26: a landscape result carries the digest of its value's JSON; a file that does not parse, fails its digest or
/// has no envelope (older code) is moved aside unchanged, recomputed, and the recovery is kept for the claim's report.
/// </summary>
public sealed class LandscapeCacheIntegrityTests
{
    private static readonly object Identity = new { Checkpoints = new[] { 100, 200 }, Members = 3 };

    private static readonly Share[] Value = [new(0, [0.9481, 0.03]), new(1, [0.87, double.NaN])];

    [Fact]
    public void A_stored_value_is_read_back_without_computing_and_carries_its_digest()
    {
        string run = EngineFixtures.TempDirectory();
        var cache = new LandscapeCache(run);
        cache.GetOrCompute("pca", Identity, () => Value);

        var read = cache.GetOrCompute<Share[]>("pca", Identity, () => throw new InvalidOperationException("must not recompute"));

        read.Should().BeEquivalentTo(Value, o => o.WithStrictOrdering());
        File.ReadAllText(cache.FileOf("pca", Identity)).Should().StartWith("{\n  \"sha256\": \"");
        LandscapeCache.TakeRecoveries(run).Should().BeEmpty();
    }

    [Fact]
    public void A_file_of_garbage_is_moved_aside_and_recomputed() =>
        Recovers(file => File.WriteAllText(file, "not json {"), "not valid JSON (line 1, column ");

    [Fact]
    public void A_value_with_one_digit_changed_fails_its_digest() =>
        Recovers(file => File.WriteAllText(file, File.ReadAllText(file).Replace("0.9481", "0.7621", StringComparison.Ordinal)),
            "content does not match its digest");

    [Fact]
    public void A_legacy_file_without_an_envelope_is_unverifiable_and_recomputed() =>
        Recovers(file => File.WriteAllText(file, System.Text.Json.JsonSerializer.Serialize(Value, Grokking.Training.RunDirectory.Json)),
            "no integrity envelope");

    [Fact]
    public void A_truncated_file_is_moved_aside_and_recomputed() =>
        Recovers(file => File.WriteAllText(file, File.ReadAllText(file)[..^10]), "not valid JSON");

    [Fact]
    public void Sealing_a_legacy_file_keeps_its_value_and_makes_it_verifiable()
    {
        string run = EngineFixtures.TempDirectory();
        var cache = new LandscapeCache(run);
        string file = cache.FileOf("pca", Identity);
        Directory.CreateDirectory(cache.Directory);
        File.WriteAllText(file, System.Text.Json.JsonSerializer.Serialize(Value, Grokking.Training.RunDirectory.Json));
        File.WriteAllText(Path.Combine(cache.Directory, "broken.json"), "{ not json");

        LandscapeCache.SealLegacy(run).Should().Equal(file);
        LandscapeCache.SealLegacy(run).Should().BeEmpty("sealed files are left alone");

        cache.GetOrCompute<Share[]>("pca", Identity, () => throw new InvalidOperationException("must not recompute"))
            .Should().BeEquivalentTo(Value, o => o.WithStrictOrdering());
        File.ReadAllText(Path.Combine(cache.Directory, "broken.json")).Should().Be("{ not json", "a file that is not JSON is not sealed");
    }

    private static void Recovers(Action<string> damage, string problem)
    {
        string run = EngineFixtures.TempDirectory();
        var cache = new LandscapeCache(run);
        cache.GetOrCompute("pca", Identity, () => Value);
        string file = cache.FileOf("pca", Identity);
        damage(file);
        string damaged = FileDigest.Of(file);
        int computed = 0;

        var value = cache.GetOrCompute("pca", Identity, () =>
        {
            computed++;
            return Value;
        });

        computed.Should().Be(1);
        value.Should().BeEquivalentTo(Value, o => o.WithStrictOrdering());
        var recovery = LandscapeCache.TakeRecoveries(run).Should().ContainSingle().Subject;
        recovery.Entry.Should().Be(Path.GetFileName(run));
        recovery.File.Should().Be($"landscape/{Path.GetFileName(file)}");
        recovery.Problem.Should().Contain(problem);
        recovery.MovedTo.Should().StartWith(file + ".damaged-");
        FileDigest.Of(recovery.MovedTo).Should().Be(damaged, "the damaged file is moved aside unchanged");
        cache.GetOrCompute<Share[]>("pca", Identity, () => throw new InvalidOperationException("the recomputed file is intact"))
            .Should().BeEquivalentTo(Value, o => o.WithStrictOrdering());
        LandscapeCache.TakeRecoveries(run).Should().BeEmpty("a recovery is reported once");
    }

    public sealed record Share(int Member, double[] Ratios);
}
