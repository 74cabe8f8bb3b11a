using Grokking.Claims.Contracts;

namespace Grokking.Claims.Analyses;

/// <summary>
/// An analysis with a typed parameters record: the loader binds the claim file into <typeparamref name="TParameters"/>
/// (names, types and ranges checked before anything trains), and the rule reads properties, never names.
/// </summary>
public abstract class ClaimAnalysis<TParameters> : IClaimAnalysis
    where TParameters : class
{
    public abstract string Name { get; }

    public Type ParametersType => typeof(TParameters);

    public abstract SeedRule SeedRule { get; }

    public virtual bool Trains => true;

    public AnalysisResult Analyze(ClaimContext context) => Analyze(context, context.Claim.ParametersAs<TParameters>());

    public abstract AnalysisResult Analyze(ClaimContext context, TParameters parameters);
}
