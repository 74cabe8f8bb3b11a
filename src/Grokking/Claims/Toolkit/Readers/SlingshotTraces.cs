using System.Globalization;
using Grokking.Claims.Analyses;
using Grokking.Training;

namespace Grokking.Claims.Toolkit;

/// <summary>
/// One member's per-step traces for PG-3 and PG-5 (Train:StepTraces): the train loss, the output-layer weight norm and
/// the cosine distance between successive weight vectors, one sample per optimizer step, plus its metric rows. Sample t
/// belongs to optimizer step t + 1 (<see cref="StepOf"/>): its loss was taken just before that update, its norm and
/// cosine distance just after, and a metric row's <c>Step</c> counts the updates done, so step numbers of samples and
/// rows compare directly (the loss is one update early, far below any lag a tolerance reads). A diverged member is
/// read up to its divergence: the samples of the step that diverged and after it are dropped (its loss is not finite,
/// and the frozen weights give a constant norm and a cosine distance of 0 that would read as a perfectly lazy run), and
/// so are its rows from that step on. Both analyses define a slingshot by the same <see cref="SpikeRule"/>, bound from
/// their claim files.
/// </summary>
/// <param name="Spec">The member.</param>
/// <param name="Loss">Train loss of every step before the divergence.</param>
/// <param name="OutputNorm">Output-layer weight norm after every step before the divergence.</param>
/// <param name="Distance">1 - cos(theta before, theta after) of every step before the divergence.</param>
/// <param name="Rows">Metric rows before the divergence, by step.</param>
/// <param name="DivergedStep">
/// The step that diverged (1-based, as <see cref="MemberEvents.DivergedStep"/>), or <see cref="MemberEvents.Never"/>.
/// </param>
public sealed record SlingshotTraces(
    MemberSpec Spec, double[] Loss, double[] OutputNorm, double[] Distance, MetricRow[] Rows, long DivergedStep)
{
    public bool Diverged => DivergedStep != MemberEvents.Never;

    /// <summary>" (diverged at step N; read up to it)", or "" — appended to a seed's reason so a divergence is always named.</summary>
    public string DivergedNote => Diverged ? $" (diverged at step {DivergedStep}; read up to it)" : "";

    /// <summary>The optimizer step sample <paramref name="t"/> belongs to.</summary>
    public static double StepOf(int t) => t + 1;

    /// <summary>Onsets of train-loss spikes as sample indices.</summary>
    public IReadOnlyList<int> LossOnsets(SpikeRule rule) => SpikeDetector.Onsets(Loss, rule);

    /// <summary>
    /// The context's members, one per seed in seed order, with their traces. Throws when the run has no step traces
    /// (the experiment must set Train:StepTraces) or when the claim's member filter leaves a seed with several members.
    /// </summary>
    public static IReadOnlyList<SlingshotTraces> Of(ClaimContext context)
    {
        var claim = context.Claim;
        var result = context.Result;
        var members = context.Members.OrderBy(m => m.Seed).ToList();
        if (members.GroupBy(m => m.Seed).FirstOrDefault(g => g.Count() > 1) is { } shared)
        {
            throw new InvalidOperationException(
                $"{claim.Id}: seed {shared.Key} has {shared.Count()} members in experiment '{context.Experiment}'; "
                + "the claim's member filter must select one per seed");
        }

        var traces = new List<SlingshotTraces>();
        foreach (var m in members)
        {
            float[] loss = Series(result.StepLosses, m.Index);
            float[] norm = Series(result.StepOutputNorms, m.Index);
            float[] distance = Series(result.StepCosineDistances, m.Index);
            if (loss.Length == 0 || norm.Length == 0 || distance.Length == 0)
            {
                throw new InvalidOperationException(
                    $"{claim.Id}: the run of experiment '{context.Experiment}' has no per-step traces for seed {m.Seed} "
                    + $"(step losses {loss.Length}, output-layer norms {norm.Length}, cosine distances {distance.Length} samples); "
                    + "set Train:StepTraces = true in the experiment and run it again");
            }

            long diverged = result.Events[m.Index].DivergedStep;
            int keep = diverged == MemberEvents.Never ? int.MaxValue : (int)Math.Max(0, diverged - 1);
            var rows = MemberSeries.RowsBeforeDivergence(result, m.Index);
            traces.Add(new SlingshotTraces(m, Widen(loss, keep), Widen(norm, keep), Widen(distance, keep), rows, diverged));
        }

        return traces;
    }

    /// <summary>"steps 500, 1200, 1900" (the first <paramref name="most"/>, then how many more), or "none".</summary>
    public static string Steps(IReadOnlyList<int> onsets, int most = 8)
    {
        if (onsets.Count == 0)
        {
            return "none";
        }

        string shown = string.Join(", ", onsets.Take(most).Select(t => StepOf(t).ToString("0", CultureInfo.InvariantCulture)));
        return $"step(s) {shown}{(onsets.Count > most ? $" and {onsets.Count - most} more" : "")}";
    }

    private static float[] Series(IReadOnlyList<float[]> perMember, int index) => index < perMember.Count ? perMember[index] : [];

    private static double[] Widen(float[] series, int keep) => series.Take(keep).Select(v => (double)v).ToArray();
}
