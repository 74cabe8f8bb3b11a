using Grokking.Claims.Baselines;
using Grokking.Claims.Contracts;
using Grokking.Configuration;
using Grokking.Runtime;

namespace Grokking.Tests.Unit.Claims;

/// <summary>
/// Baselines record the device kind they were made on (issue 30): a GPU run is compared with the CPU-made baselines as any
/// run is (verdicts exactly, numbers within tolerance) and never put in their place without --across-devices.
/// </summary>
public class BaselineDeviceTests
{
    private static readonly BaselineProvenance OnCpu = new("engine-a", "2026-02-01") { Device = "cpu", ReducedPrecision = false };

    private static readonly BaselineProvenance OnCuda = new("engine-a", "2026-02-02") { Device = "cuda", ReducedPrecision = false };

    private static BaselineSnapshot Snapshot(Verdict verdict, double value, BaselineProvenance? made) =>
        new("MC-1", Profile.Paper, verdict, [new BaselineMetric("point1", "point 1", value, 10) { SeedSpread = 4 }]) { Made = made };

    [Fact]
    public void The_device_and_precision_round_trip_and_a_file_without_them_was_made_on_a_cpu()
    {
        var store = new BaselineStore(Temp());
        Accept(store, Snapshot(Verdict.Confirmed, 585, OnCuda with { ReducedPrecision = true }));

        var read = store.ReadVerified(Profile.Paper, "MC-1").Made!;
        (read.Device, read.ReducedPrecision, read.DeviceKind).Should().Be(("cuda", true, "cuda with TF32"));
        File.ReadAllText(store.VerifiedPath(Profile.Paper, "MC-1")).Should()
            .Contain("\"device\": \"cuda\"").And.Contain("\"reducedPrecision\": true");
        new BaselineProvenance("engine-old", "2026-01-02").DeviceKind.Should().Be("cpu", "every baseline before the record was made on a CPU");
        new BaselineProvenance("engine-old", "2026-01-02").Describe().Should().Be("engine-old, 2026-01-02");
        OnCuda.Describe().Should().Be("engine-a, 2026-02-02, cuda");
    }

    [Theory]
    [InlineData("\"device\": \"cuda\"", "\"device\": \"gpu\"", "'made.device' is 'gpu'; allowed: cpu, cuda")]
    [InlineData("\"reducedPrecision\": false", "\"reducedPrecision\": \"no\"", "'made.reducedPrecision' is the string \"no\"; allowed: true, false")]
    [InlineData("\"reducedPrecision\": false", "\"reducedPrecision\": false, \"tf32\": 1", "'made' has an unknown field 'tf32'")]
    public void A_damaged_device_record_is_named(string field, string damaged, string message)
    {
        var store = new BaselineStore(Temp());
        Accept(store, Snapshot(Verdict.Confirmed, 585, OnCuda));
        string path = store.VerifiedPath(Profile.Paper, "MC-1");
        File.WriteAllText(path, File.ReadAllText(path).Replace(field, damaged, StringComparison.Ordinal));

        var read = () => store.ReadVerified(Profile.Paper, "MC-1");

        read.Should().Throw<DamagedFileException>().WithMessage($"*{message}*");
    }

    [Fact]
    public void A_gpu_run_is_held_to_the_cpu_baseline_within_the_seed_spread_and_its_differences_name_both_devices()
    {
        var store = new BaselineStore(Temp());
        Accept(store, Snapshot(Verdict.Confirmed, 585, OnCpu));

        store.Compare(Snapshot(Verdict.Confirmed, 594, OnCuda)).Matches.Should().BeTrue("9 is within the metric's tolerance of 10");
        var moved = store.Compare(Snapshot(Verdict.Refuted, 585, OnCuda));

        moved.Matches.Should().BeFalse();
        moved.Differences[0].Should().Be("verdict: accepted CONFIRMED, now REFUTED");
        moved.Differences[^1].Should().Be(
            "made on: accepted cpu, now cuda (verdicts must agree across devices, numbers within the tolerance)", "the context, last");
        store.ReadVerified(Profile.Paper, "MC-1").Made.Should().Be(OnCpu, "comparing never replaces the accepted baseline");
    }

    [Fact]
    public void Accepting_a_gpu_snapshot_over_a_cpu_baseline_is_refused_naming_both_devices_unless_asked_for()
    {
        var store = new BaselineStore(Temp());
        Accept(store, Snapshot(Verdict.Confirmed, 585, OnCpu));
        store.Compare(Snapshot(Verdict.Refuted, 585, OnCuda));
        string verified = store.VerifiedPath(Profile.Paper, "MC-1");
        string before = File.ReadAllText(verified);

        var refused = () => store.Accept(Profile.Paper, ["MC-1"]);

        refused.Should().Throw<OptionsException>().Where(e => e.Key == "--across-devices").WithMessage(
            "baselines/paper/MC-1.verified.json was made on cpu and baselines/paper/MC-1.received.json on cuda; a baseline is replaced "
            + "by one made on another device kind only with --across-devices (nothing was accepted)");
        File.ReadAllText(verified).Should().Be(before);
        File.Exists(store.ReceivedPath(Profile.Paper, "MC-1")).Should().BeTrue();

        store.Accept(Profile.Paper, ["MC-1"], acrossDevices: true).Should().Equal("MC-1");
        store.ReadVerified(Profile.Paper, "MC-1").Made.Should().Be(OnCuda);
    }

    [Fact]
    public void A_baseline_that_does_not_record_its_device_counts_as_made_on_a_cpu()
    {
        var store = new BaselineStore(Temp());
        Accept(store, Snapshot(Verdict.Confirmed, 585, new BaselineProvenance("engine-old", "2026-01-02")));

        store.Compare(Snapshot(Verdict.Refuted, 585, OnCpu));
        store.Accept(Profile.Paper, ["MC-1"]).Should().Equal(["MC-1"], "cpu over a baseline from before the record is the same kind");

        store.Compare(Snapshot(Verdict.Confirmed, 585, OnCuda with { ReducedPrecision = true }));
        var refused = () => store.Accept(Profile.Paper, ["MC-1"]);
        refused.Should().Throw<OptionsException>().WithMessage("*made on cpu and * on cuda with TF32*");
    }

    [Fact]
    public void A_snapshot_made_now_records_the_device_the_process_runs_on()
    {
        var runtime = TorchRuntime.Initialize(DeviceChoice.Cpu);

        var made = BaselineProvenance.Now();

        (made.Device, made.ReducedPrecision).Should().Be((runtime.DeviceName, false));
    }

    private static string Temp() => Path.Combine(Path.GetTempPath(), "grokking-tests", Guid.NewGuid().ToString("N"), "baselines");

    private static void Accept(BaselineStore store, BaselineSnapshot snapshot)
    {
        store.Compare(snapshot);
        store.Accept(snapshot.Profile, [snapshot.Id]);
    }
}
