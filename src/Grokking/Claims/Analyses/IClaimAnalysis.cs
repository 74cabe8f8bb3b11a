namespace Grokking.Claims.Analyses;

/// <summary>
/// Turns a claim's run into measured values and a verdict by the claim's decision rule. An implementation with a
/// public parameterless constructor in this assembly is discovered by <see cref="AnalysisRegistry"/>; claim files
/// name it by <see cref="Name"/>.
/// </summary>
public interface IClaimAnalysis
{
    string Name { get; }

    /// <summary>Tolerance names the claim file must define (checked when claims load).</summary>
    IReadOnlyList<string> RequiredTolerances { get; }

    /// <summary>Paper values the analysis looks up by name (checked when claims load).</summary>
    IReadOnlyList<string> RequiredPaperValues { get; }

    /// <summary>
    /// False for analyses that build their own models from the experiments' options and need no training (they run
    /// in seconds at every profile): the runner then trains nothing and the context's result has no metrics.
    /// </summary>
    bool Trains => true;

    AnalysisResult Analyze(ClaimContext context);
}
