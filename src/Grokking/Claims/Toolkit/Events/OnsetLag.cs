using Grokking.Claims.Analyses;

namespace Grokking.Claims.Toolkit;

/// <summary>
/// How the start of grokking sits against the slingshots (PG-3: grokking begins at the onset of a slingshot): the
/// step at which validation accuracy begins to rise, the latest spike onset at or before it and the earliest onset
/// after it, all in steps. NaN marks what does not exist (no rise, no onset on that side), and the lags inherit it,
/// so a run without an onset before its rise never counts as evidence of a short lag.
/// </summary>
/// <param name="RiseStep">Step at which validation accuracy begins to rise (<see cref="RiseStart"/>).</param>
/// <param name="OnsetBefore">Step of the latest onset at or before <paramref name="RiseStep"/>.</param>
/// <param name="OnsetAfter">Step of the earliest onset strictly after <paramref name="RiseStep"/>.</param>
public sealed record OnsetLag(double RiseStep, double OnsetBefore, double OnsetAfter)
{
    /// <summary>Steps from the latest onset at or before the rise to the rise (≥ 0); NaN when there is none.</summary>
    public double Before => RiseStep - OnsetBefore;

    /// <summary>Steps from the rise to the earliest onset after it (&gt; 0); NaN when there is none.</summary>
    public double After => OnsetAfter - RiseStep;

    /// <summary>
    /// Where the rise sits in its slingshot cycle, 0 at the onset before it and 1 at the next: <see cref="Before"/> over the
    /// cycle's length (the onset after minus the onset before; <paramref name="spacing"/>, the run's typical cycle, when no
    /// onset follows). A step drawn at random in periodic cycles has a phase uniform on [0, 1), so a phase tells "at the
    /// onset" from "anywhere" whatever the cycle's length in steps. NaN without an onset before or a cycle length.
    /// </summary>
    public double Phase(double spacing)
    {
        double cycle = double.IsNaN(OnsetAfter) ? spacing : OnsetAfter - OnsetBefore;
        return cycle > 0 ? Before / cycle : double.NaN;
    }

    /// <summary>The onsets nearest the rise on each side; <paramref name="onsetSteps"/> need not be sorted, NaN entries are ignored.</summary>
    public static OnsetLag Of(IReadOnlyList<double> onsetSteps, double riseStep)
    {
        ArgumentNullException.ThrowIfNull(onsetSteps);
        if (double.IsNaN(riseStep))
        {
            return new OnsetLag(double.NaN, double.NaN, double.NaN);
        }

        double before = onsetSteps.Where(s => s <= riseStep).DefaultIfEmpty(double.NaN).Max();
        double after = onsetSteps.Where(s => s > riseStep).DefaultIfEmpty(double.NaN).Min();
        return new OnsetLag(riseStep, before, after);
    }

    /// <summary>
    /// The first step whose validation accuracy is at least the minimum over the first 10% of the series (at least one
    /// sample, rounded up) plus <paramref name="riseAbove"/>; NaN if it never gets there or that 10% has no finite
    /// value. The minimum is the floor of the initial plateau (chance level), so <paramref name="riseAbove"/> is chosen
    /// above the plateau's wobble and a rise is measured from where the plateau sits, whatever its first value.
    /// </summary>
    public static double RiseStart(IReadOnlyList<double> steps, IReadOnlyList<double> valAccuracy, double riseAbove)
    {
        ArgumentNullException.ThrowIfNull(steps);
        ArgumentNullException.ThrowIfNull(valAccuracy);
        if (steps.Count != valAccuracy.Count)
        {
            throw new ArgumentException($"steps has {steps.Count} values but valAccuracy has {valAccuracy.Count}", nameof(valAccuracy));
        }

        int plateau = Math.Max(1, (int)Math.Ceiling(valAccuracy.Count * 0.1));
        double threshold = MemberSeries.Min(valAccuracy.Take(plateau)) + riseAbove;
        for (int i = 0; i < valAccuracy.Count; i++)
        {
            if (valAccuracy[i] >= threshold)
            {
                return steps[i];
            }
        }

        return double.NaN;
    }
}
