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
    public WeightVector Load(long step, int member, long seed, string label) =>
        LoadMembers(step, [(member, seed, label)])[0];

    /// <summary>
    /// Several members' weights at one step, reading the snapshot file once (a file holds the whole population, so
    /// loading member by member would read it once per member).
    /// </summary>
    public IReadOnlyList<WeightVector> LoadMembers(long step, IReadOnlyList<(int Member, long Seed, string Label)> members)
    {
        if (!Has(step))
        {
            throw new FileNotFoundException(
                $"the run has no weight snapshot at step {step} (snapshots: {string.Join(", ", Steps)}); "
                + "set Train:WeightsEvery or Train:CheckpointAtEvents so the run keeps the weights this claim reads",
                run.WeightsAt(step));
        }

        var all = TensorFile.Load(run.WeightsAt(step), device);
        try
        {
            int count = (int)all.Values.First().shape[0];
            foreach (var m in members)
            {
                if (m.Member < 0 || m.Member >= count)
                {
                    throw new ArgumentOutOfRangeException(nameof(members), $"member {m.Member} is not in a snapshot of {count} members");
                }
            }

            return members.Select(m => new WeightVector(m.Label, m.Seed, all.ToDictionary(t => t.Key, t => t.Value[m.Member].clone()))).ToList();
        }
        finally
        {
            foreach (var t in all.Values)
            {
                t.Dispose();
            }
        }
    }

    /// <summary>
    /// The weights of several (member, step) points stacked as one population state, name -> [K, ...] in the order
    /// given (e.g. each member at its own step, to be measured together); each snapshot file is read once. The caller
    /// disposes the tensors.
    /// </summary>
    public Dictionary<string, Tensor> Stack(IReadOnlyList<(int Member, long Step)> points)
    {
        ArgumentNullException.ThrowIfNull(points);
        if (points.Count == 0)
        {
            throw new ArgumentException("nothing to stack", nameof(points));
        }

        var vectors = new WeightVector[points.Count];
        try
        {
            foreach (var step in Enumerable.Range(0, points.Count).GroupBy(i => points[i].Step))
            {
                var loaded = LoadMembers(step.Key, [.. step.Select(i => (points[i].Member, 0L, $"member {points[i].Member} step {step.Key}"))]);
                foreach (var (i, v) in step.Zip(loaded))
                {
                    vectors[i] = v;
                }
            }

            using var noGrad = no_grad();
            return vectors[0].Tensors.Keys.ToDictionary(name => name, name => stack(vectors.Select(v => v.Tensors[name]).ToArray()));
        }
        finally
        {
            foreach (var v in vectors.Where(v => v is not null))
            {
                v.Dispose();
            }
        }
    }
}
