using Grokking.Claims.Contracts;

namespace Grokking.Report;

/// <summary>
/// What every rendering of a claims report shows, computed once from the outcomes so the formats cannot disagree.
/// </summary>
internal sealed class ReportDocument
{
    public ReportDocument(
        ReportEnvironment environment, IReadOnlyList<ClaimOutcome> claims, IReadOnlyList<Claims.ProfileAgreement>? agreement = null)
    {
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(claims);

        Environment = environment;
        Claims = claims;
        Counts = ReportCounts.Of(claims);
        Controls = ControlCounts.Of(claims);
        Experiments = ExperimentMinutes.Of(claims);
        Agreement = agreement ?? [];
    }

    /// <summary>The committed outcomes of verify --variants for these claims at the report's profile (empty: none).</summary>
    public IReadOnlyList<Claims.VariantOutcome> Variants { get; init; } = [];

    /// <summary>The committed ci and paper verdicts of the claims (empty when the writer had no baselines to read).</summary>
    public IReadOnlyList<Claims.ProfileAgreement> Agreement { get; }

    public ReportEnvironment Environment { get; }

    public IReadOnlyList<ClaimOutcome> Claims { get; }

    public ReportCounts Counts { get; }

    public ControlCounts Controls { get; }

    public IReadOnlyList<ExperimentMinutes> Experiments { get; }
}
