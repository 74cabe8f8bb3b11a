using Grokking.Claims.Analyses;
using Grokking.Training;

namespace Grokking.Claims.Toolkit;

/// <summary>
/// One run of a PG-6 pair: the member, its events, the metric row of the snapshot at which its train loss first
/// reached the comparison level (null: none did), and the Hessian measured there (null when there is no snapshot).
/// </summary>
public sealed record ConditionAtLoss(string Role, MemberSpec Member, MemberEvents Events, MetricRow? Row, HessianMeasurement? Measurement);
