using Grokking.Claims.Contracts;
using Grokking.Configuration;

namespace Grokking.Report;

/// <summary>
/// One claim's outcome as a sharded verify writes it ('grokking verify --shard i/n') and 'grokking report merge' reads it:
/// self-contained (the whole outcome with its measured values, comparisons and figures, the configuration of every
/// experiment it read, and where and how it was made) and content-addressed (<see cref="ResultRecordFile"/>: the file is
/// named by its own SHA-256, so a damaged or edited record is found when read back).
/// </summary>
/// <param name="RecordVersion">The record format (<see cref="Version"/>); a reader refuses another.</param>
/// <param name="Claim">The claim's id, as in the file name.</param>
/// <param name="Selection">Every claim of the selection the shards split, in catalog order: the merge checks that each has one record.</param>
/// <param name="Outcome">The outcome as report.json writes a claim.</param>
/// <param name="CachedRuns">The experiments the verify read from the run cache rather than trained (for the measured costs).</param>
/// <param name="Configuration">The resolved settings of each experiment the claim read (runtime and output paths left out).</param>
/// <param name="Figures">The outcome's figure files, so that the merged report can show them.</param>
public sealed record ResultRecord(
    int RecordVersion,
    string Claim,
    Profile Profile,
    IReadOnlyList<string> Selection,
    ClaimOutcome Outcome,
    IReadOnlyList<string> CachedRuns,
    IReadOnlyList<ExperimentConfiguration> Configuration,
    RecordProvenance Provenance,
    IReadOnlyList<RecordFigure> Figures)
{
    public const int Version = 1;

    /// <summary>
    /// Whether the claim got a verdict (CONFIRMED, REFUTED, INCONCLUSIVE): a resumed shard keeps such a record and verifies
    /// again a claim whose record holds an ERROR or DATA MISSING (the failure or the missing data may be gone).
    /// </summary>
    public bool Decided => Outcome.Verdict is Verdict.Confirmed or Verdict.Refuted or Verdict.Inconclusive;
}
