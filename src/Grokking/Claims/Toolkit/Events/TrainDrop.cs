using Grokking.Claims.Analyses;

namespace Grokking.Claims.Toolkit;

/// <summary>
/// One collapse of train accuracy with the readings around it (epochs; NaN where a window was empty or the run
/// ended inside the drop). The <c>Matches*</c> checks compare with <c>&gt;=</c> on purpose: a NaN reading makes
/// them false, so a drop whose companion could not be measured never counts as evidence for it.
/// </summary>
public sealed record TrainDrop(
    double StartEpoch,
    double LowestEpoch,
    double LowestTrainAccuracy,
    double RecoveredEpoch,
    double ValBefore,
    double ValAfter,
    double LrPeak,
    double LrAfter,
    double GradPeak,
    double GradBaseline)
{
    public bool Recovered => !double.IsNaN(RecoveredEpoch);

    public double ValJump => ValAfter - ValBefore;

    public double LrFall => 1 - LrAfter / LrPeak;

    public double GradRatio => GradPeak / GradBaseline;

    /// <summary>Validation accuracy only counts as having jumped once train accuracy is back; an unfinished drop is false.</summary>
    public bool MatchesValJump(DropRules r) => Recovered && ValJump >= r.ValJump;

    public bool MatchesLrSpike(DropRules r) => LrFall >= r.LrFall;

    public bool MatchesGradSpike(DropRules r) => GradRatio >= r.GradSpike;
}
