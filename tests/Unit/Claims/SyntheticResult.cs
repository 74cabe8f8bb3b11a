using Grokking.Training;

namespace Grokking.Tests.Unit.Claims;

/// <summary>
/// A finished, uninterrupted run built from synthetic members, metric rows and events, without step losses: the shape
/// every rule test hands its analysis.
/// </summary>
public static class SyntheticResult
{
    public static TrainingResult Of(
        IReadOnlyList<MemberSpec> members, IReadOnlyList<MetricRow> metrics, IReadOnlyList<MemberEvents> events, long stepsPerEpoch, long stepsCompleted) =>
        new()
        {
            Members = members,
            Metrics = metrics,
            Events = events,
            StepLosses = members.Select(_ => Array.Empty<float>()).ToList(),
            StepsPerEpoch = stepsPerEpoch,
            StepsCompleted = stepsCompleted,
            Interrupted = false,
        };
}
