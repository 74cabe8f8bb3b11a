using static TorchSharp.torch;

namespace Grokking.Landscape;

/// <summary>
/// The weight trajectories of a run's members through its snapshot files, as PCAs (claim PG-4): member k's rows are
/// its weights at the given steps, in order, the last one θ_T (<see cref="TrajectoryPca.Of"/>).
/// <para>
/// A PCA needs every row of a member at once (its Gram matrix pairs all of them), and a snapshot file holds the whole
/// population, so memory is steps × members × parameters. Members are taken in groups whose trajectories fit in
/// <paramref name="budgetBytes"/> (each snapshot file is read once per group): one group for a small model, and a
/// bounded footprint for a large one, at the price of reading the files again.
/// </para>
/// </summary>
public static class RunTrajectories
{
    /// <summary>Snapshot weights held at once by default: 1 GiB.</summary>
    public const long DefaultBudgetBytes = 1L << 30;

    /// <summary>One PCA per member of <paramref name="members"/> (indices in the run's population), in that order.</summary>
    public static IReadOnlyList<TrajectoryPca> Pca(
        RunCheckpoints checkpoints, IReadOnlyList<long> steps, IReadOnlyList<int> members, long budgetBytes = DefaultBudgetBytes)
    {
        ArgumentNullException.ThrowIfNull(checkpoints);
        ArgumentNullException.ThrowIfNull(steps);
        ArgumentNullException.ThrowIfNull(members);
        if (steps.Count < 2)
        {
            throw new ArgumentException("a trajectory needs at least two snapshots", nameof(steps));
        }

        if (members.Count == 0)
        {
            return [];
        }

        long bytesPerMember;
        using (var one = checkpoints.Load(steps[^1], members[0], 0, "size"))
        {
            bytesPerMember = one.Tensors.Values.Sum(t => t.numel() * t.ElementSize) * steps.Count;
        }

        int group = (int)Math.Clamp(budgetBytes / Math.Max(1, bytesPerMember), 1, members.Count);
        var result = new List<TrajectoryPca>(members.Count);
        for (int start = 0; start < members.Count; start += group)
        {
            result.AddRange(PcaOfGroup(checkpoints, steps, members.Skip(start).Take(group).ToList()));
        }

        return result;
    }

    private static IReadOnlyList<TrajectoryPca> PcaOfGroup(RunCheckpoints checkpoints, IReadOnlyList<long> steps, List<int> members)
    {
        var rows = new List<IReadOnlyDictionary<string, Tensor>>(steps.Count);
        try
        {
            foreach (long step in steps)
            {
                rows.Add(checkpoints.Stack([.. members.Select(m => (m, step))]));
            }

            return TrajectoryPca.Of(rows, members.Count);
        }
        finally
        {
            foreach (var t in rows.SelectMany(r => r.Values))
            {
                t.Dispose();
            }
        }
    }
}
