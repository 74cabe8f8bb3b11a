using System.Globalization;
using Grokking.Training;
using static TorchSharp.torch;

namespace Grokking.Landscape;

/// <summary>
/// The weight snapshots a training run wrote (checkpoints/weights-step*.bin), read one member at a time: the one
/// way the landscape code gets a weight vector, so no claim re-trains for weights a cached run already has.
/// </summary>
public sealed class RunCheckpoints
{
    private const string Prefix = "weights-step";
    private readonly RunDirectory run;
    private readonly Device device;

    public RunCheckpoints(string runDirectory, Device device)
    {
        run = new RunDirectory(runDirectory);
        this.device = device;
        Steps = Directory.Exists(run.Checkpoints)
            ? Directory.EnumerateFiles(run.Checkpoints, Prefix + "*.bin")
                .Select(f => Path.GetFileNameWithoutExtension(f)[Prefix.Length..])
                .Select(s => long.Parse(s, CultureInfo.InvariantCulture))
                .Order()
                .ToList()
            : [];
    }

    /// <summary>Steps with a weight snapshot, ascending.</summary>
    public IReadOnlyList<long> Steps { get; }

    public bool Has(long step) => Steps.Contains(step);

    /// <summary>Member <paramref name="member"/>'s weights at <paramref name="step"/>.</summary>
    public WeightVector Load(long step, int member, long seed, string label)
    {
        if (!Has(step))
        {
            throw new FileNotFoundException($"the run has no weight snapshot at step {step} (snapshots: {string.Join(", ", Steps)}); set Train:WeightsEvery or Train:CheckpointAtEvents so the run keeps the weights this claim reads", run.WeightsAt(step));
        }

        var all = TensorFile.Load(run.WeightsAt(step), device);
        try
        {
            int members = (int)all.Values.First().shape[0];
            if (member < 0 || member >= members)
            {
                throw new ArgumentOutOfRangeException(nameof(member), $"member {member} is not in a snapshot of {members} members");
            }

            return new WeightVector(label, seed, all.ToDictionary(t => t.Key, t => t.Value[member].clone()));
        }
        finally
        {
            foreach (var t in all.Values)
            {
                t.Dispose();
            }
        }
    }
}
