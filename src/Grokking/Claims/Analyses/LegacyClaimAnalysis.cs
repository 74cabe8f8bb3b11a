namespace Grokking.Claims.Analyses;

/// <summary>TRANSITIONAL (removed before this change lands): an analysis not yet given a parameters record.</summary>
public abstract class LegacyClaimAnalysis : IClaimAnalysis
{
    public abstract string Name { get; }

    public Type ParametersType => typeof(LegacyClaimAnalysis);

    public Contracts.SeedRule SeedRule => Contracts.SeedRule.EverySeed;

    public virtual IReadOnlyList<string> RequiredTolerances => [];

    public virtual IReadOnlyList<string> RequiredPaperValues => [];

    public virtual bool Trains => true;

    public abstract AnalysisResult Analyze(ClaimContext context);
}
