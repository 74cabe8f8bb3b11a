using Grokking.Claims.Contracts;

namespace Grokking.Claims.Toolkit;

/// <summary>
/// What counts as a collapse of train accuracy after memorization, and what its companions (validation jump,
/// effective-lr fall, effective-grad spike) must reach. All lengths are in epochs so that runs logged at different
/// step intervals are judged alike.
/// </summary>
/// <param name="From">Train accuracy a drop starts from (e.g. 0.99): the model must have memorized before it can collapse.</param>
/// <param name="To">Train accuracy the drop must fall to or below (e.g. 0.5); a shallower dip is a wobble.</param>
/// <param name="FallWithinEpochs">
/// The fall must reach <paramref name="To"/> within this many epochs of the last step at or above
/// <paramref name="From"/>; a slow slide is not a collapse.
/// </param>
/// <param name="WindowEpochs">
/// Length of the windows for the validation medians before and after a drop and for the effective-lr peak around its
/// start.
/// </param>
/// <param name="ValJump">
/// Least rise of validation accuracy (absolute, median after recovery minus median before the drop) that counts as an
/// upward jump.
/// </param>
/// <param name="LrFall">Least relative fall of the effective lr from its peak (e.g. 0.1) that counts as the saw-tooth's fall.</param>
/// <param name="GradSpike">Least ratio of the effective-grad peak to its baseline (e.g. 3) that counts as a spike.</param>
/// <param name="GradBaselineEpochs">
/// How far before the drop the effective-grad baseline window starts; it ends <paramref name="WindowEpochs"/> before
/// the drop so the spike's run-up does not raise it.
/// </param>
public sealed record DropRules(
    [ParameterName("dropFrom")][Within(0, 1)] double From,
    [ParameterName("dropTo")][Within(0, 1)] double To,
    [Within(0, double.MaxValue)] double FallWithinEpochs,
    [Within(0, double.MaxValue)] double WindowEpochs,
    [Within(0, 1)] double ValJump,
    [Within(0, 1)] double LrFall,
    [Within(1, double.MaxValue)] double GradSpike,
    [Within(0, double.MaxValue)] double GradBaselineEpochs);
