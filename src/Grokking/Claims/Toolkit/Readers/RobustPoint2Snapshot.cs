using Grokking.Claims.Contracts;
using Grokking.Configuration;

namespace Grokking.Claims.Toolkit;

/// <summary>
/// The robust point 2 of the landscape claims (MC-3 ... MC-8, GV; block robust-point-2-snapshot): the first metric
/// step with validation accuracy at least <c>robustValAccuracy</c>. These claims read point 2's weights from the
/// snapshot the run takes at its validation event, so the level must be the experiment's
/// Train:ValAccuracyThreshold; a parameters record that holds this group is checked against every experiment at load.
/// </summary>
public sealed record RobustPoint2Snapshot([Within(0.5, 1)] double RobustValAccuracy) : IExperimentConsistency
{
    /// <summary>Null when the level is the one at which the run snapshots point 2's weights.</summary>
    public string? Check(GrokkingOptions options) =>
        Math.Abs(options.Train.ValAccuracyThreshold - RobustValAccuracy) <= 1e-12
            ? null
            : $"robustValAccuracy {RobustValAccuracy} must equal the experiment's Train:ValAccuracyThreshold "
              + $"({options.Train.ValAccuracyThreshold}), the level at which the run snapshots point 2";
}
