using Grokking.Claims;
using Grokking.Claims.Baselines;
using Grokking.Claims.Contracts;
using Grokking.Configuration;

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

    private static string Temp() => Path.Combine(Path.GetTempPath(), "grokking-tests", Guid.NewGuid().ToString("N"));

    private static void Write(BaselineStore store, BaselineSnapshot snapshot)
    {
        store.Compare(snapshot);
        store.Accept(snapshot.Profile, [snapshot.Id]);
    }
}
