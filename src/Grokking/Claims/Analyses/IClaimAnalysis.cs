using Grokking.Claims.Contracts;

namespace Grokking.Claims.Analyses;

/// <summary>
/// Turns a claim's run into measured values and a verdict by the claim's decision rule. An implementation with a
/// public parameterless constructor in this assembly is discovered by <see cref="AnalysisRegistry"/>; claim files
/// name it by <see cref="Name"/>. Implement it through <see cref="ClaimAnalysis{TParameters}"/>.
/// </summary>
public interface IClaimAnalysis
{
    string Name { get; }

    /// <summary>
    /// The record the claim file's rule parameters and paper values are bound into (checked when claims load): the
    /// names the claim file must state are derived from it.
    /// </summary>
    Type ParametersType { get; }

    /// <summary>How the analysis combines its seeds; the claim file names it.</summary>
    SeedRule SeedRule { get; }

    /// <summary>
    /// False for analyses that build their own models from the experiments' options and need no training (they run
    /// in seconds at every profile): the runner then trains nothing and the context's result has no metrics.
    /// </summary>
    bool Trains => true;

    AnalysisResult Analyze(ClaimContext context);

    /// <summary>The negative control the analysis implements (claim-file <c>control.name</c>); null when it has none.</summary>
    string? ControlName { get; }

    /// <summary>The rule applied to its negative control's data (which it must REFUTE).</summary>
    AnalysisResult AnalyzeControl(ClaimContext context);
}
