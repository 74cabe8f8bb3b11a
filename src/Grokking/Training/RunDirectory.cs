using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Grokking.Runtime;
using Grokking.Configuration;

namespace Grokking.Training;

/// <summary>
/// The files of one run: resolved configuration, members, metrics (CSV and JSON lines), events, per-step
/// minibatch losses, and checkpoints. Every file is replaced atomically; state.bin is written last, so it is
/// the commit point a resumed run starts from.
/// </summary>
public sealed class RunDirectory(string path)
{
    public static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    private static readonly JsonSerializerOptions JsonLine = new(Json) { WriteIndented = false };

    public string Path { get; } = System.IO.Path.GetFullPath(path);

    public string Checkpoints => System.IO.Path.Combine(Path, "checkpoints");

    public string StateFile => System.IO.Path.Combine(Checkpoints, "state.bin");

    public string MetricsJsonl => System.IO.Path.Combine(Path, "metrics.jsonl");

    public string ConfigurationFile => System.IO.Path.Combine(Path, "config.json");

    public string MembersFile => System.IO.Path.Combine(Path, "members.json");

    public string StepLossFile => System.IO.Path.Combine(Path, "step_loss.csv");

    public string StepOutputNormFile => System.IO.Path.Combine(Path, "step_output_norm.csv");

    public string StepCosineDistanceFile => System.IO.Path.Combine(Path, "step_cosine_distance.csv");

    /// <summary>
    /// The files each checkpoint rewrites whole and that only grow from one checkpoint to the next (the rows up to a step
    /// are the same bytes each time), with the members list, which never changes: what a checkpoint's record covers.
    /// events.json is not among them: it is rewritten from the metrics at every checkpoint, not read on resume.
    /// </summary>
    public IReadOnlyList<string> CoveredFiles =>
        [MetricsJsonl, System.IO.Path.Combine(Path, "metrics.csv"), StepLossFile, StepOutputNormFile, StepCosineDistanceFile, MembersFile];

    public string WeightsAt(long step) => System.IO.Path.Combine(Checkpoints, $"weights-step{step:D9}.bin");

    public void WriteProgress(TrainingResult result)
    {
        Directory.CreateDirectory(Path);
        AtomicFile.WriteAllText(MembersFile, JsonSerializer.Serialize(result.Members, Json));
        AtomicFile.WriteAllText(System.IO.Path.Combine(Path, "events.json"), JsonSerializer.Serialize(
            new { result.StepsPerEpoch, result.StepsCompleted, result.Interrupted, Events = result.Events }, Json));

        var jsonl = new StringBuilder();
        var csv = new StringBuilder("step,epoch,member,train_loss,train_loss_l2,train_acc,val_loss,val_loss_l2,val_acc,weight_norm,")
            .Append("effective_lr,effective_grad_norm,grad_norm,mean_stochastic_grad_norm,diverged_at_step\n");
        var inv = CultureInfo.InvariantCulture;
        foreach (var m in result.Metrics)
        {
            jsonl.Append(JsonSerializer.Serialize(m, JsonLine)).Append('\n');
            string stochastic = m.MeanStochasticGradNorm?.ToString("R", inv) ?? "";
            csv.Append(inv, $"{m.Step},{m.Epoch:R},{m.Member},{m.TrainLoss:R},{m.TrainLossL2:R},{m.TrainAccuracy:R},")
                .Append(inv, $"{m.ValLoss:R},{m.ValLossL2:R},{m.ValAccuracy:R},{m.WeightNorm:R},{m.EffectiveLearningRate:R},")
                .Append(inv, $"{m.EffectiveGradNorm:R},{m.GradNorm:R},{stochastic},{m.DivergedAtStep}\n");
        }

        AtomicFile.WriteAllText(MetricsJsonl, jsonl.ToString());
        AtomicFile.WriteAllText(System.IO.Path.Combine(Path, "metrics.csv"), csv.ToString());

        WriteSeries(StepLossFile, result.StepLosses);
        if (result.StepOutputNorms.Count > 0)
        {
            WriteSeries(StepOutputNormFile, result.StepOutputNorms);
            WriteSeries(StepCosineDistanceFile, result.StepCosineDistances);
        }
    }

    /// <summary>A finished run read back from its files (what the run cache serves).</summary>
    public TrainingResult ReadResult()
    {
        var members = ReadJson<List<MemberSpec>>(MembersFile);
        if (members.Count == 0)
        {
            throw new DamagedFileException(MembersFile, "lists no members"); // a run always has one; the series need it
        }

        var summary = ReadJson<EventsFile>(System.IO.Path.Combine(Path, "events.json"));
        return new TrainingResult
        {
            Members = members,
            Metrics = ReadMetrics(members.Count, summary.StepsCompleted),
            Events = summary.Events,
            StepLosses = ReadStepLosses(members.Count, summary.StepsCompleted),
            StepOutputNorms = ReadStepOutputNorms(members.Count, summary.StepsCompleted),
            StepCosineDistances = ReadStepCosineDistances(members.Count, summary.StepsCompleted),
            StepsPerEpoch = summary.StepsPerEpoch,
            StepsCompleted = summary.StepsCompleted,
            Interrupted = summary.Interrupted,
        };
    }

    private sealed record EventsFile(long StepsPerEpoch, long StepsCompleted, bool Interrupted, List<MemberEvents> Events);

    /// <summary>A JSON file of the run; one that is missing, does not parse or holds null is damage naming it.</summary>
    private static T ReadJson<T>(string file)
        where T : class
    {
        if (!File.Exists(file))
        {
            throw new DamagedFileException(file, "missing");
        }

        try
        {
            return JsonSerializer.Deserialize<T>(File.ReadAllText(file), Json) ?? throw new DamagedFileException(file, "holds null");
        }
        catch (JsonException e)
        {
            throw new DamagedFileException(file, JsonText.Describe(e));
        }
    }

    /// <summary>The members' metric rows up to a step, checked complete (see <see cref="RunSeriesReader"/>).</summary>
    /// <param name="length">The bytes a checkpoint covers (checked before), or null to read the whole file.</param>
    public List<MetricRow> ReadMetrics(int members, long upToStep, long? length = null, string? recovery = null) =>
        RunSeriesReader.Metrics(MetricsJsonl, members, upToStep, length, recovery);

    public List<float[]> ReadStepLosses(int members, long upToStep, long? length = null, string? recovery = null) =>
        RunSeriesReader.Series(StepLossFile, members, upToStep, length, recovery);

    /// <summary>The traced output-layer norms (empty series when the run traced nothing).</summary>
    public List<float[]> ReadStepOutputNorms(int members, long upToStep, long? length = null, string? recovery = null) =>
        File.Exists(StepOutputNormFile) ? RunSeriesReader.Series(StepOutputNormFile, members, upToStep, length, recovery) : [];

    /// <summary>The traced step cosine distances (empty when the run traced nothing).</summary>
    public List<float[]> ReadStepCosineDistances(int members, long upToStep, long? length = null, string? recovery = null) =>
        File.Exists(StepCosineDistanceFile) ? RunSeriesReader.Series(StepCosineDistanceFile, members, upToStep, length, recovery) : [];

    /// <summary>One value per step and member: a "step,member0,member1,..." table.</summary>
    private static void WriteSeries(string file, IReadOnlyList<float[]> series)
    {
        var text = new StringBuilder("step");
        for (int k = 0; k < series.Count; k++)
        {
            text.Append(CultureInfo.InvariantCulture, $",member{k}");
        }

        text.Append('\n');
        long steps = series.Count == 0 ? 0 : series[0].Length;
        for (long s = 0; s < steps; s++)
        {
            text.Append(s + 1);
            foreach (var values in series)
            {
                text.Append(',').Append(values[s].ToString("R", CultureInfo.InvariantCulture));
            }

            text.Append('\n');
        }

        AtomicFile.WriteAllText(file, text.ToString());
    }
}
