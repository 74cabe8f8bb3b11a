using Grokking.Claims.Analyses;
using Grokking.Training;

namespace Grokking.Claims.Toolkit;

/// <summary>
/// Which snapshots of one grokking member PG-7 slices: up to <c>slices</c> pre-grokking snapshots (memorized, not yet
/// generalized), spread evenly from the memorization step to the grokking step, one snapshot after grokking (the
/// reference of the rule's contrast), and θ* (<see cref="FinalStep"/>), the member's last grokked snapshot, which every
/// slice runs toward (not its final weights, which can sit inside a slingshot spike). <see cref="Missing"/> says why a
/// member has no slice.
/// </summary>
public sealed record SlicePlan(
    MemberSpec Member,
    MemberEvents Events,
    long? MemorizedStep,
    long? GrokkedStep,
    IReadOnlyList<long> PreGrokking,
    long? AfterGrokking,
    long FinalStep,
    string? Missing)
{
    /// <summary>Validation accuracy that counts as grokked (the paper's code marks generalization at 99%).</summary>
    public const double GrokkedLevel = 0.99;

    /// <summary>Every snapshot step sliced, pre-grokking ones first.</summary>
    public IEnumerable<long> Sliced => AfterGrokking is { } after ? [.. PreGrokking, after] : PreGrokking;

    /// <param name="snapshots">
    /// The run's snapshot steps, ascending; θ* is the last one at which the member is grokked (train accuracy at least
    /// <paramref name="memorizedLevel"/> and validation accuracy at least <see cref="GrokkedLevel"/>), else the last one.
    /// </param>
    public static SlicePlan Of(
        TrainingResult result, IReadOnlyList<long> snapshots, MemberSpec member, double memorizedLevel, double valleyValAccuracy, int slices)
    {
        var events = result.Events[member.Index];
        var rows = MemberSeries.RowsBeforeDivergence(result, member.Index);
        // θ* is the grokked point the slides mean: the last snapshot at which the member fits the training set and
        // generalizes. The run's very last weights can sit inside a slingshot spike (measured on the ci run: two of
        // three seeds ended at 25% and 42% train accuracy), which is no grokked solution.
        var grokkedAt = rows.Where(r => r.ValAccuracy >= GrokkedLevel && r.TrainAccuracy >= memorizedLevel)
            .Select(r => r.Step)
            .ToHashSet();
        long final = snapshots.LastOrDefault(grokkedAt.Contains, snapshots.Count > 0 ? snapshots[^1] : 0);
        long? memorized = rows.FirstOrDefault(r => r.TrainAccuracy >= memorizedLevel)?.Step;
        long? grokked = rows.FirstOrDefault(r => r.ValAccuracy >= GrokkedLevel)?.Step;
        string within = events.Diverged ? $"before diverging at step {events.DivergedStep}" : $"within {result.StepsCompleted} steps";
        if (grokked is null)
        {
            return new(member, events, memorized, null, [], null, final, $"never reached {GrokkedLevel:P0} validation accuracy {within}");
        }

        if (memorized is null)
        {
            return new(member, events, null, grokked, [], null, final, $"never reached {memorizedLevel:P0} train accuracy {within}");
        }

        var saved = snapshots.Where(s => s < final).ToHashSet();
        var candidates = rows
            .Where(r => saved.Contains(r.Step) && r.Step < grokked && r.TrainAccuracy >= memorizedLevel && r.ValAccuracy <= valleyValAccuracy)
            .Select(r => r.Step)
            .ToList();
        long? after = rows.FirstOrDefault(r => saved.Contains(r.Step) && r.Step >= grokked && r.ValAccuracy >= GrokkedLevel)?.Step;
        string? missing = candidates.Count == 0
            ? $"no snapshot between memorization (step {memorized}) and grokking (step {grokked}) "
                + $"with train accuracy >= {memorizedLevel:P0} and validation accuracy <= {valleyValAccuracy:P0}"
            : null;
        return new(member, events, memorized, grokked, Spread(candidates, slices), after, final, missing);
    }

    /// <summary>At most <paramref name="count"/> items spread evenly over the list, its first and last included.</summary>
    public static IReadOnlyList<long> Spread(IReadOnlyList<long> items, int count)
    {
        if (items.Count <= count)
        {
            return items;
        }

        if (count <= 1)
        {
            return count == 1 ? [items[0]] : [];
        }

        return [.. Enumerable.Range(0, count).Select(i => items[(int)Math.Round(i * (items.Count - 1) / (double)(count - 1))]).Distinct()];
    }
}
