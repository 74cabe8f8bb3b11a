using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Grokking.Runtime;

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

    private string StepLossFile => System.IO.Path.Combine(Path, "step_loss.csv");

    private string StepOutputNormFile => System.IO.Path.Combine(Path, "step_output_norm.csv");

    private string StepCosineDistanceFile => System.IO.Path.Combine(Path, "step_cosine_distance.csv");

    public string WeightsAt(long step) => System.IO.Path.Combine(Checkpoints, $"weights-step{step:D9}.bin");

    public void WriteConfiguration(object options) =>
        AtomicFile.WriteAllText(System.IO.Path.Combine(Path, "config.json"), JsonSerializer.Serialize(options, Json));

    public void WriteProgress(TrainingResult result)
    {
        Directory.CreateDirectory(Path);
        AtomicFile.WriteAllText(System.IO.Path.Combine(Path, "members.json"), JsonSerializer.Serialize(result.Members, Json));
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
        var members = JsonSerializer.Deserialize<List<MemberSpec>>(File.ReadAllText(System.IO.Path.Combine(Path, "members.json")), Json)!;
        var summary = JsonSerializer.Deserialize<EventsFile>(File.ReadAllText(System.IO.Path.Combine(Path, "events.json")), Json)!;
        return new TrainingResult
        {
            Members = members,
            Metrics = ReadMetrics(summary.StepsCompleted),
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

    public List<MetricRow> ReadMetrics(long upToStep) => File.Exists(MetricsJsonl)
        ? File.ReadLines(MetricsJsonl)
            .Where(l => l.Length > 0)
            .Select(l => JsonSerializer.Deserialize<MetricRow>(l, Json)!)
            .Where(m => m.Step <= upToStep)
            .ToList()
        : [];

    public List<float[]> ReadStepLosses(int members, long upToStep) => ReadSeries(StepLossFile, members, upToStep);

    /// <summary>The traced output-layer norms (empty series when the run traced nothing).</summary>
    public List<float[]> ReadStepOutputNorms(int members, long upToStep) =>
        File.Exists(StepOutputNormFile) ? ReadSeries(StepOutputNormFile, members, upToStep) : [];

    /// <summary>The traced step cosine distances (empty when the run traced nothing).</summary>
    public List<float[]> ReadStepCosineDistances(int members, long upToStep) =>
        File.Exists(StepCosineDistanceFile) ? ReadSeries(StepCosineDistanceFile, members, upToStep) : [];

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

    private static List<float[]> ReadSeries(string file, int members, long upToStep)
    {
        var series = Enumerable.Range(0, members).Select(_ => new List<float>()).ToList();
        if (File.Exists(file))
        {
            foreach (string line in File.ReadLines(file).Skip(1))
            {
                var cells = line.Split(',');
                if (long.Parse(cells[0], CultureInfo.InvariantCulture) > upToStep)
                {
                    break;
                }

                for (int k = 0; k < members; k++)
                {
                    series[k].Add(float.Parse(cells[k + 1], CultureInfo.InvariantCulture));
                }
            }
        }

        return series.Select(s => s.ToArray()).ToList();
    }
}
