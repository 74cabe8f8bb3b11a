using Grokking.Models;
using Grokking.Optim;
using Grokking.Runtime;
using static TorchSharp.torch;

namespace Grokking.Training;

/// <summary>
/// Writes and reads a run's checkpoints: weight snapshots for the analyses, and the resumable state (weights,
/// optimizer state, step) committed after the metrics files, so a killed run restarts from its last state.
/// </summary>
internal sealed class Checkpointer(RunDirectory run, PopulationModel model, PopulationOptimizer optimizer, Device device)
{
    public bool HasState => File.Exists(run.StateFile);

    public void SaveWeights(long step) => new TensorSet(model.Snapshot()).SaveTo(run.WeightsAt(step));

    public void SaveState(TrainingResult result, long step)
    {
        run.WriteProgress(result);
        var state = new Dictionary<string, Tensor>();
        foreach (var (name, t) in model.Snapshot())
        {
            state["param." + name] = t;
        }

        foreach (var (name, t) in optimizer.State())
        {
            state["opt." + name] = t;
        }

        state["meta.step"] = tensor(new[] { step }); // int64, exact past 2^24 (state files before it hold a float32 step)
        state[CheckpointDigests.TensorName] = CheckpointDigests.Record(run);
        try
        {
            TensorFile.Save(run.StateFile, state);
        }
        finally
        {
            foreach (var t in state.Values)
            {
                t.Dispose();
            }
        }
    }

    /// <returns>The step the state was saved at; metrics and per-step series up to it are appended to the lists.</returns>
    public long Resume(List<MetricRow> metrics, List<List<float>> stepLosses, List<List<float>> outputNorms, List<List<float>> cosines)
    {
        var state = LoadState();
        long step;
        Dictionary<string, long>? covered;
        try
        {
            if (!state.TryGetValue("meta.step", out var stored) || stored.numel() != 1)
            {
                throw new DamagedFileException(run.StateFile, "has no single 'meta.step' value", Recovery);
            }

            step = stored.dtype == ScalarType.Int64 ? stored.item<long>() : (long)stored.item<float>(); // float32 before int64
            covered = CheckpointDigests.Verify(run, state, Recovery);
            model.Load(Prefixed(state, "param."));
            optimizer.LoadState(Prefixed(state, "opt."));
        }
        finally
        {
            foreach (var t in state.Values)
            {
                t.Dispose();
            }
        }

        long? Covered(string file) => covered is not null && covered.TryGetValue(file, out long length) ? length : null;
        int k = model.Members;
        metrics.AddRange(run.ReadMetrics(k, step, Covered(run.MetricsJsonl), Recovery));
        Append(run.ReadStepLosses(k, step, Covered(run.StepLossFile), Recovery), stepLosses);
        Append(run.ReadStepOutputNorms(k, step, Covered(run.StepOutputNormFile), Recovery), outputNorms);
        Append(run.ReadStepCosineDistances(k, step, Covered(run.StepCosineDistanceFile), Recovery), cosines);
        return step;
    }

    /// <summary>What a user can do when the state cannot be read: the run's other files are only as good as it.</summary>
    private string Recovery => $"the run cannot resume from it: delete the run directory {run.Path} to train it afresh";

    private Dictionary<string, Tensor> LoadState()
    {
        try
        {
            return TensorFile.Load(run.StateFile, device);
        }
        catch (DamagedFileException e)
        {
            throw e.WithRecovery(Recovery);
        }
    }

    private static void Append(List<float[]> read, List<List<float>> series)
    {
        for (int m = 0; m < read.Count; m++)
        {
            series[m].AddRange(read[m]);
        }
    }

    private static Dictionary<string, Tensor> Prefixed(Dictionary<string, Tensor> state, string prefix) =>
        state.Where(s => s.Key.StartsWith(prefix, StringComparison.Ordinal)).ToDictionary(s => s.Key[prefix.Length..], s => s.Value);
}
