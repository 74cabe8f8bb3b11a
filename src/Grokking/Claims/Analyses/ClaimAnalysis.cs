using Grokking.Claims.Contracts;

namespace Grokking.Claims.Analyses;

/// <summary>
/// An analysis with a typed parameters record: the loader binds the claim file into <typeparamref name="TParameters"/>
/// (names, types and ranges checked before anything trains), and the rule reads properties, never names. Each analysis
/// also applies its rule to its negative control (<see cref="ControlName"/>, <see cref="AnalyzeControl(ClaimContext, TParameters)"/>):
/// data on which, by the rule's own logic, it must not confirm.
/// </summary>
public abstract class ClaimAnalysis<TParameters> : IClaimAnalysis
    where TParameters : class
{
    public abstract string Name { get; }

    public Type ParametersType => typeof(TParameters);

    public abstract SeedRule SeedRule { get; }

    public virtual bool Trains => true;

    /// <summary>The control this analysis implements; the claim file's <c>control.name</c> must equal it. Null: none yet.</summary>
    public virtual string? ControlName => null;

    public AnalysisResult Analyze(ClaimContext context) => Analyze(context, context.Claim.ParametersAs<TParameters>());

    public abstract AnalysisResult Analyze(ClaimContext context, TParameters parameters);

    public AnalysisResult AnalyzeControl(ClaimContext context) => AnalyzeControl(context, context.Claim.ParametersAs<TParameters>());

    /// <summary>The rule applied to the control's data, with the same parameters; the runner expects it to REFUTE.</summary>
    public virtual AnalysisResult AnalyzeControl(ClaimContext context, TParameters parameters) =>
        throw new NotSupportedException($"analysis '{Name}' implements no negative control");
}
