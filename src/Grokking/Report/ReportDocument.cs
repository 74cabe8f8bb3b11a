using Grokking.Claims.Contracts;

namespace Grokking.Report;

/// <summary>
/// What every rendering of a claims report shows, computed once from the outcomes so the formats cannot disagree.
/// </summary>
internal sealed class ReportDocument
{
    public ReportDocument(ReportEnvironment environment, IReadOnlyList<ClaimOutcome> claims)
    {
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(claims);

        Environment = environment;
        Claims = claims;
        Counts = ReportCounts.Of(claims);
        Controls = ControlCounts.Of(claims);
        Experiments = ExperimentMinutes.Of(claims);
    }

    public ReportEnvironment Environment { get; }

    public IReadOnlyList<ClaimOutcome> Claims { get; }

    public ReportCounts Counts { get; }

    public ControlCounts Controls { get; }

    public IReadOnlyList<ExperimentMinutes> Experiments { get; }
}
