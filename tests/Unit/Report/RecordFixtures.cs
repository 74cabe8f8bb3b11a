using System.Text.Json.Nodes;
using Grokking.Claims.Contracts;
using Grokking.Configuration;
using Grokking.Report;

namespace Grokking.Tests.Unit.Report;

/// <summary>Result records made from the report fixtures' outcomes, under ids of the real catalog, for the merge tests.</summary>
internal static class RecordFixtures
{
    /// <summary>A selection of three claims of the catalog, in catalog order.</summary>
    public static IReadOnlyList<string> Selection { get; } = ["MC-1", "MC-2", "OG-1"];

    public static RecordProvenance Provenance(string shard = "1/2", string commit = "0123456789abcdef0123456789abcdef01234567") => new(
        commit, false, new string('0', 64), "engine-test", "0.107.0", "2.10.0", "cpu", "float32", 1, 2, "test-host, 2 cores", "not needed",
        shard, new DateTimeOffset(2026, 12, 6, 10, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 12, 6, 10, 5, 0, TimeSpan.Zero));

    /// <summary>The fixture outcome (CONFIRMED, or REFUTED with a NaN value) as claim <paramref name="id"/> of the smoke profile.</summary>
    public static ResultRecord Record(
        string id, bool refuted = false, Profile profile = Profile.Smoke, IReadOnlyList<string>? selection = null, RecordProvenance? provenance = null)
    {
        var outcome = (refuted ? ReportFixtures.Refuted : ReportFixtures.Confirmed) with { Id = id, Profile = profile };
        var options = new JsonObject { ["Profile"] = profile.Name, ["Model"] = new JsonObject { ["Precision"] = "float32" } };
        return new ResultRecord(
            ResultRecord.Version, id, profile, selection ?? Selection, outcome, ["modular-addition"],
            [new ExperimentConfiguration("modular-addition", "0123456789abcdef", options)], provenance ?? Provenance(),
            [new RecordFigure("figures/mc1.png", Convert.ToBase64String([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]))]);
    }

    /// <summary>Writes records into folders of their own (one per shard) and returns the folders.</summary>
    public static IReadOnlyList<string> Shards(params ResultRecord[][] shards)
    {
        string root = Engine.EngineFixtures.TempDirectory();
        return
        [
            .. shards.Select((records, i) =>
            {
                string folder = Path.Combine(root, $"shard-{i}");
                Directory.CreateDirectory(folder);
                foreach (var record in records)
                {
                    ResultRecordFile.Write(folder, record);
                }

                return folder;
            }),
        ];
    }
}
