using Grokking.Claims;
using Grokking.Claims.Baselines;
using Grokking.Claims.Contracts;
using Grokking.Configuration;
using Grokking.Runtime;

namespace Grokking.Tests.Unit.Claims;

public class BaselineStoreTests
{
    private static BaselineSnapshot Snapshot(Verdict verdict, double point1, string label = "point 1") =>
        new("MC-1", Profile.Ci, verdict, [new BaselineMetric("point1", label, point1, 10), new BaselineMetric("ratio", "ratio", 4.1, 0.4)]);

    [Fact]
    public void Metrics_match_by_key_so_a_reworded_label_keeps_the_baseline()
    {
        var store = new BaselineStore(Temp());
        Write(store, Snapshot(Verdict.Confirmed, 585, "point 1 (old label)"));

        store.Compare(Snapshot(Verdict.Confirmed, 590, "point 1, first epoch with 100% train accuracy")).Matches.Should().BeTrue();
        store.Compare(Snapshot(Verdict.Confirmed, 700, "reworded")).Differences.Should().ContainSingle().Which.Should().Contain("'point1'");
    }

    [Fact]
    public void Within_tolerance_and_same_verdict_matches_and_removes_a_stale_received_file()
    {
        var store = new BaselineStore(Temp());
        Write(store, Snapshot(Verdict.Confirmed, 585));
        File.WriteAllText(store.ReceivedPath(Profile.Ci, "MC-1"), "stale");

        var result = store.Compare(Snapshot(Verdict.Confirmed, 590));

        result.Matches.Should().BeTrue();
        File.Exists(store.ReceivedPath(Profile.Ci, "MC-1")).Should().BeFalse();
    }

    [Fact]
    public void A_metric_out_of_tolerance_fails_naming_it_and_writes_received()
    {
        var store = new BaselineStore(Temp());
        Write(store, Snapshot(Verdict.Confirmed, 585));

        var result = store.Compare(Snapshot(Verdict.Confirmed, 700));

        result.Matches.Should().BeFalse();
        result.Differences.Should().ContainSingle().Which.Should().Contain("'point1' (point 1)").And.Contain("accepted 585").And.Contain("now 700");
        File.Exists(store.ReceivedPath(Profile.Ci, "MC-1")).Should().BeTrue();
    }

    [Theory]
    [InlineData(Verdict.Refuted, Verdict.Confirmed)]
    [InlineData(Verdict.Confirmed, Verdict.Refuted)]
    [InlineData(Verdict.Refuted, Verdict.Inconclusive)]
    public void A_change_of_verdict_in_either_direction_fails(Verdict accepted, Verdict now)
    {
        var store = new BaselineStore(Temp());
        Write(store, Snapshot(accepted, 585));

        store.Compare(Snapshot(now, 585)).Differences.Should().ContainSingle(d => d.StartsWith("verdict:", StringComparison.Ordinal));
    }

    [Fact]
    public void A_stable_refuted_finding_passes()
    {
        var store = new BaselineStore(Temp());
        Write(store, Snapshot(Verdict.Refuted, double.NaN));

        store.Compare(Snapshot(Verdict.Refuted, double.NaN)).Matches.Should().BeTrue();
    }

    [Fact]
    public void A_missing_baseline_fails_and_accept_makes_the_received_file_the_baseline()
    {
        var store = new BaselineStore(Temp());

        var first = store.Compare(Snapshot(Verdict.Confirmed, 585));
        first.Matches.Should().BeFalse();
        first.Differences.Should().ContainSingle(d => d.Contains("no accepted baseline", StringComparison.Ordinal));

        store.Accept(Profile.Ci, ["MC-1"]).Should().Equal("MC-1");
        store.Compare(Snapshot(Verdict.Confirmed, 585)).Matches.Should().BeTrue();
    }

    /// <summary>Edits (find → replace; an empty find replaces the whole file) that make a received file no baseline.</summary>
    public static TheoryData<string, string, string> BrokenReceivedFiles => new()
    {
        { "", "not json {", "not JSON (*)" },
        { "", "null", "the file is null, not an object" },
        { "\"id\": \"MC-1\"", "\"id\": \"MC-2\"", "'id' is 'MC-2', but the file is named for MC-1" },
        { "\"profile\": \"ci\"", "\"profile\": \"smoke\"", "'profile' is 'smoke', but the file is in the ci baselines" },
        { "\"verdict\": \"refuted\"", "\"verdict\": \"maybe\"", "'verdict' is 'maybe'; allowed: confirmed, refuted, inconclusive" },
        { "\"verdict\": \"refuted\"", "\"verdict\": 1", "'verdict' is the number 1, not a string" },
        { "\"verdict\"", "\"verdikt\"", "the file has an unknown field 'verdikt'; allowed: id, profile, verdict, metrics" },
        { "\"metrics\": [", "\"metrics\": {}, \"x\": [", "the file has an unknown field 'x'; allowed: id, profile, verdict, metrics" },
        { ",\n      \"tolerance\": 10", "", "'metrics[0]' has no field 'tolerance'" },
        { "\"tolerance\": 10", "\"tolerance\": \"NaN\"", "'metrics[0].tolerance' is the string \"NaN\"; allowed: a finite number >= 0" },
        { "\"tolerance\": 10", "\"tolerance\": -1", "'metrics[0].tolerance' is -1; a tolerance is a finite number >= 0" },
        { "\"value\": 700", "\"value\": null", "'metrics[0].value' is null; allowed: a number, \"NaN\", \"Infinity\" or \"-Infinity\"" },
        { "\"value\": 700", "\"value\": 1e400", "'metrics[0].value' is the number 1e400; allowed: a number, \"NaN\", \"Infinity\" or \"-Infinity\"" },
        { "\"key\": \"ratio\"", "\"key\": \"point1\"", "'metrics[1].key' is 'point1'; a key is a non-empty name, once per file" },
        { "\"name\": \"ratio\",", "", "'metrics[1]' has no field 'name'" },
    };

    [Theory]
    [MemberData(nameof(BrokenReceivedFiles))]
    public void Accept_refuses_a_received_file_that_is_no_baseline_naming_it_and_replaces_nothing(string find, string replace, string problem)
    {
        var store = new BaselineStore(Temp());
        Write(store, Snapshot(Verdict.Confirmed, 585));
        store.Compare(Snapshot(Verdict.Refuted, 700));
        string received = store.ReceivedPath(Profile.Ci, "MC-1");
        string text = File.ReadAllText(received);
        string broken = find.Length == 0 ? replace : text.Replace(find, replace, StringComparison.Ordinal);
        broken.Should().NotBe(text, "the edit must apply to the file the store writes");
        File.WriteAllText(received, broken);
        byte[] verified = File.ReadAllBytes(store.VerifiedPath(Profile.Ci, "MC-1"));

        var act = () => store.Accept(Profile.Ci, ["MC-1"]);

        act.Should().Throw<DamagedFileException>()
            .WithMessage($"{store.ShownAs(received)}: {problem}; nothing was accepted; delete it, or verify the claim again to write a new one");
        File.ReadAllBytes(store.VerifiedPath(Profile.Ci, "MC-1")).Should().Equal(verified, "the accepted baseline is untouched");
        File.ReadAllText(received).Should().Be(broken, "the received file stays for the user to inspect");
    }

    [Fact]
    public void One_bad_received_file_stops_the_accept_before_any_baseline_is_replaced()
    {
        var store = new BaselineStore(Temp());
        Write(store, Snapshot(Verdict.Confirmed, 585));
        store.Compare(Snapshot(Verdict.Refuted, 700));
        Directory.CreateDirectory(Path.GetDirectoryName(store.ReceivedPath(Profile.Ci, "MC-2"))!);
        File.WriteAllText(store.ReceivedPath(Profile.Ci, "MC-2"), "not json {");
        byte[] verified = File.ReadAllBytes(store.VerifiedPath(Profile.Ci, "MC-1"));

        var act = () => store.Accept(Profile.Ci, null);

        act.Should().Throw<DamagedFileException>().Which.FilePath.Should().Be(store.ShownAs(store.ReceivedPath(Profile.Ci, "MC-2")));
        File.ReadAllBytes(store.VerifiedPath(Profile.Ci, "MC-1")).Should().Equal(verified, "MC-1 comes first, but nothing moves while MC-2 is bad");
        File.Exists(store.ReceivedPath(Profile.Ci, "MC-1")).Should().BeTrue();
    }

    [Fact]
    public void A_received_file_for_no_claim_of_the_catalog_is_refused()
    {
        var store = new BaselineStore(Temp());
        store.Compare(Snapshot(Verdict.Confirmed, 585));

        var act = () => store.Accept(Profile.Ci, null, ["MC-2"]);

        act.Should().Throw<DamagedFileException>().WithMessage("*MC-1.received.json: 'MC-1' is not a claim of the catalog*");
        File.Exists(store.VerifiedPath(Profile.Ci, "MC-1")).Should().BeFalse();
    }

    [Fact]
    public void A_damaged_accepted_baseline_is_an_error_naming_it_not_a_baseline_of_defaults()
    {
        var store = new BaselineStore(Temp());
        Write(store, Snapshot(Verdict.Confirmed, 585));
        string verified = store.VerifiedPath(Profile.Ci, "MC-1");
        File.WriteAllText(verified, File.ReadAllText(verified).Replace(",\n      \"tolerance\": 10", "", StringComparison.Ordinal));

        var act = () => store.Compare(Snapshot(Verdict.Confirmed, 585));

        act.Should().Throw<DamagedFileException>().WithMessage($"{store.ShownAs(verified)}: 'metrics[0]' has no field 'tolerance'");
    }

    [Fact]
    public void Every_committed_baseline_reads_against_the_schema()
    {
        var store = new BaselineStore(Path.Combine(RepositoryLocator.Find(), "baselines"));
        var files = Directory.GetFiles(store.Root, "*.verified.json", SearchOption.AllDirectories);
        files.Should().NotBeEmpty();

        foreach (string file in files)
        {
            ProfileNames.TryParse(Path.GetFileName(Path.GetDirectoryName(file)), out var profile).Should().BeTrue(file);
            string id = Path.GetFileName(file)[..^".verified.json".Length];
            store.ReadVerified(profile, id).Id.Should().Be(id);
        }
    }

    private static string Temp() => Path.Combine(Path.GetTempPath(), "grokking-tests", Guid.NewGuid().ToString("N"));

    private static void Write(BaselineStore store, BaselineSnapshot snapshot)
    {
        store.Compare(snapshot);
        store.Accept(snapshot.Profile, [snapshot.Id]);
    }
}
