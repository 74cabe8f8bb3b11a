using Grokking.Claims.Analyses;
using Grokking.Claims.Contracts;

namespace Grokking.Claims.Toolkit;

/// <summary>
/// What counts as the onset of a spike in a logged series (PG-3's slingshots: cyclic spikes of the train loss and of
/// the growth of the last-layer weight norm, Thilak et al. 2022). A sample x_t is an onset when
/// <c>x_t − med &gt; RelativeJump · scale</c>, where <c>med</c> is the median of the baseline (the
/// <see cref="Window"/> previous finite samples) and <c>scale</c> is the median of their absolute values. Only
/// upward jumps count: loss and norm growth spike upwards at a slingshot; a series that dips instead (the cosine
/// similarity of successive weights) is passed negated or as <c>1 − cos</c>.
/// <para>
/// Why the median of |x| as the scale, not |med| or the median absolute deviation: for a series away from zero (a loss,
/// a steadily growing norm's growth rate) it equals |med|, so the jump is relative to the level and the rounding noise
/// of a noiseless curve never reads as a spike (the MAD would be ~1e-17 there and anything would). For a series that
/// hovers around zero (the norm's growth rate once weight decay balances the gradient) |med| is ~0 and would flag
/// every wobble, while the median of |x| is the wobble's own size, so the jump is then relative to the noise. The
/// comparison is strict so that a constant baseline (scale 0) followed by the same value is not an onset.
/// </para>
/// <para>
/// PG-3 and PG-5 bind it from their claim files as a group of their parameters, so both define a slingshot alike and
/// its ranges are checked when the claims load.
/// </para>
/// </summary>
/// <param name="Window">
/// How many previous finite samples form the baseline (claim file <c>spikeWindow</c>, ≥ 1); no onset is counted before
/// that many exist, so the start of a run, with no history, is never a spike.
/// </param>
/// <param name="RelativeJump">
/// Least rise above the baseline median, in units of the baseline's median absolute value (claim file
/// <c>spikeJump</c>, ≥ 0; e.g. 0.5 for a loss that must rise by half its level).
/// </param>
/// <param name="Refractory">
/// Samples after an onset (counted by index, NaN samples included) in which no new onset is counted (≥ 0), so a spike
/// several samples wide is one onset.
/// </param>
public sealed record SpikeRule(
    [ParameterName("spikeWindow")][Within(1, int.MaxValue)] int Window,
    [ParameterName("spikeJump")][Within(0, double.MaxValue)] double RelativeJump,
    [Within(0, int.MaxValue)] int Refractory);
