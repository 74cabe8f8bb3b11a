using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Grokking.Claims.Contracts;
using Grokking.Runtime;
using Grokking.Training;

namespace Grokking.Claims.Scheduling;

/// <summary>
/// Writes a plan's estimates into the experiment files ('projected.&lt;profile&gt;'), each file rewritten atomically with
/// every other key as it was: the measured minutes live beside the setup they were measured for.
/// </summary>
public static class ProjectionRecorder
{
    private static readonly JsonSerializerOptions Indented = new()
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
    };

    /// <returns>The files written.</returns>
    public static IReadOnlyList<string> Record(ExperimentPlan plan, string claimsDirectory, string profile, string device)
    {
        var written = new List<string>();
        string today = DateTime.UtcNow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        foreach (var e in plan.Estimates)
        {
            var cost = new ProjectedCost(
                Math.Round(e.ProjectedSeconds / 60, 1), Math.Round(e.RooflineSeconds / 60, 1), e.Steps, e.EarlyStop, e.SampledMembers,
                today, EngineVersion.Value, device);
            string file = Path.Combine(claimsDirectory, "experiments", e.Experiment + ".json");
            Write(file, profile, cost);
            written.Add(file);
        }

        return written;
    }

    /// <summary>Sets projected.&lt;profile&gt; in one experiment file; its other keys keep their order and values.</summary>
    public static void Write(string path, string profile, ProjectedCost cost)
    {
        var root = JsonNode.Parse(File.ReadAllText(path), documentOptions: new() { CommentHandling = JsonCommentHandling.Skip })?.AsObject()
            ?? throw new DamagedFileException(path, "is not a JSON object");
        if (root["projected"] is not JsonObject projected)
        {
            projected = [];
            root["projected"] = projected;
        }

        projected[profile] = JsonSerializer.SerializeToNode(cost, Indented);
        AtomicFile.WriteAllText(path, root.ToJsonString(Indented) + "\n");
    }
}
