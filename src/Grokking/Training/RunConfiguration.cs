using System.Text.Json;
using System.Text.Json.Nodes;
using Grokking.Configuration;
using Grokking.Runtime;

namespace Grokking.Training;

/// <summary>
/// config.json: the configuration a run directory belongs to, written once when the run starts. The settings that define
/// what a run computes (Data, Model, Optimizer, Train, Population and the engine version: the identity the run cache
/// hashes) must be those of every later command that trains into the directory; Runtime, Landscape and Output settings
/// may differ. Both documents are compared as flat "Section:Key" paths, so the refusal names each key that differs.
/// </summary>
internal static class RunConfiguration
{
    private const string EngineKey = "EngineVersion";

    private static readonly string[] Defining = ["Data", "Model", "Optimizer", "Train", "Population"];

    /// <summary>
    /// Refuses a command whose run-defining settings differ from those the run directory was started with
    /// (<see cref="OptionsException"/>, a usage error); a config.json that is missing beside a checkpoint or does not parse
    /// is damage. Reads only: called before any file is written or any model is built.
    /// </summary>
    public static void Check(RunDirectory run, GrokkingOptions options)
    {
        string file = run.ConfigurationFile;
        if (!File.Exists(file))
        {
            if (File.Exists(run.StateFile))
            {
                throw new DamagedFileException(file, "missing beside the checkpoint state.bin, so the run's settings are unknown", Recovery(run));
            }

            return;
        }

        var stored = Flatten(Read(file, run));
        var requested = Flatten(JsonDocument.Parse(Serialize(options)).RootElement);
        if (!stored.ContainsKey(EngineKey))
        {
            requested.Remove(EngineKey); // written before the engine version was recorded: the rest still has to match
        }

        var differing = stored.Keys.Union(requested.Keys).Where(k => stored.GetValueOrDefault(k) != requested.GetValueOrDefault(k))
            .Order(StringComparer.Ordinal).ToList();
        if (differing.Count > 0)
        {
            string Values(Dictionary<string, string> values) =>
                string.Join(", ", differing.Select(k => $"{k}={values.GetValueOrDefault(k) ?? "(unset)"}"));
            throw new OptionsException(
                differing[0],
                $"{file}: the run was started with {Values(stored)}; this command asks for {Values(requested)}: "
                + "resume with the run's settings or choose another run directory (--out)");
        }
    }

    /// <summary>Writes config.json when the run starts (there is none yet); a resumed run keeps the one it started with.</summary>
    public static void WriteIfStarting(RunDirectory run, GrokkingOptions options)
    {
        if (!File.Exists(run.ConfigurationFile))
        {
            AtomicFile.WriteAllText(run.ConfigurationFile, Serialize(options));
        }
    }

    /// <summary>The resolved options with the engine version that computes them.</summary>
    private static string Serialize(GrokkingOptions options)
    {
        var node = JsonSerializer.SerializeToNode(options, RunDirectory.Json)!.AsObject();
        node[EngineKey] = EngineVersion.Value;
        return node.ToJsonString(RunDirectory.Json);
    }

    private static JsonElement Read(string file, RunDirectory run)
    {
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(file));
            return document.RootElement.ValueKind == JsonValueKind.Object
                ? document.RootElement.Clone()
                : throw new DamagedFileException(file, "not a JSON object", Recovery(run));
        }
        catch (JsonException e)
        {
            throw new DamagedFileException(file, JsonText.Describe(e), Recovery(run));
        }
    }

    /// <summary>"Section:Key[:Sub]" = value for the run-defining sections and the engine version; arrays are one value.</summary>
    private static Dictionary<string, string> Flatten(JsonElement root)
    {
        var flat = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string section in Defining)
        {
            if (root.TryGetProperty(section, out var value))
            {
                Flatten(section, value, flat);
            }
        }

        if (root.TryGetProperty(EngineKey, out var engine))
        {
            Flatten(EngineKey, engine, flat);
        }

        return flat;
    }

    private static void Flatten(string path, JsonElement value, Dictionary<string, string> flat)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            flat[path] = value.ValueKind == JsonValueKind.String ? value.GetString()! : JsonSerializer.Serialize(value);
            return;
        }

        foreach (var property in value.EnumerateObject())
        {
            Flatten($"{path}:{property.Name}", property.Value, flat);
        }
    }

    private static string Recovery(RunDirectory run) => $"delete the run directory {run.Path} to train it afresh";
}
