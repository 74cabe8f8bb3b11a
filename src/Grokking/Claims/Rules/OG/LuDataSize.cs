using Grokking.Claims.Analyses;
using Grokking.Claims.Contracts;
using Grokking.Claims.Toolkit;
using Grokking.Plots;

namespace Grokking.Claims.Rules.OG;

/// <summary>
/// OG-10 (Omnigrok Fig. 3a-c): the reduced error landscape of images against the weight norm alpha at two data sizes,
/// the claim's experiment (small N) and the companion <see cref="LargeExperiment"/> (large N), each member trained at
/// its own alpha with the norm held fixed; errors are 1 - the best accuracy over the run (<see cref="ReducedErrors"/>).
/// Per seed, judged over the seeds by the claim's scope (<see cref="LuDataComparisons"/>): at the small N the train
/// error an "L" (no rise between neighbouring alphas beyond <c>monotoneSlack</c> of its range; at most
/// <c>flatShare</c> of its smallest-alpha value for alpha >= 1) and the test error a "U" (both ends at least
/// 1 + <c>uDepth</c> times its minimum); at the large N the U's right arm (test error at the largest alpha minus its
/// minimum) at most <c>maxRiseRatio</c> of the small N's. The negative control swaps the data sizes: the large N read
/// as the small one must not give the LU picture (its U is the flatter one, so the rise ratio is the inverse).
/// </summary>
public sealed class LuDataSize : ClaimAnalysis<LuDataSize.Parameters>
{
    public const string LargeExperiment = "og-mnist-lu-large";

    public const string Control = "data-sizes-swapped";

    public override string Name => "lu-data-size";

    public override SeedRule SeedRule => SeedRule.EverySeed;

    public override string? ControlName => Control;

    /// <summary>OG-10's rule: how the L and the U are read at the small N, and how much flatter the U must be at the large N.</summary>
    public sealed record Parameters(
        [Within(0, 1)] double MonotoneSlack,
        [Within(0, 1)] double FlatShare,
        [Within(0, double.MaxValue)] double UDepth,
        [Within(0, 1)] double MaxRiseRatio);

    public override AnalysisResult Analyze(ClaimContext context, Parameters parameters) =>
        Run(context, context, context.Companion(LargeExperiment), parameters, figures: true);

    /// <summary>The rule with the data sizes swapped (see the class summary).</summary>
    public override AnalysisResult AnalyzeControl(ClaimContext context, Parameters parameters) =>
        Run(context, context.Companion(LargeExperiment), context, parameters, figures: false);

    private static AnalysisResult Run(ClaimContext context, ClaimContext smallArm, ClaimContext largeArm, Parameters p, bool figures)
    {
        string dataSet = context.Options?.Data.DataSetName ?? "images";
        var small = ReducedErrors.Read(smallArm);
        var large = ReducedErrors.Read(largeArm);
        var comparisons = LuDataComparisons.Judge(
            context.Claim.ScopeKind, "", "MSE", small, large, (p.MonotoneSlack, p.FlatShare, p.UDepth, p.MaxRiseRatio));
        var (verdict, reason) = Thresholds.Combine(comparisons);
        string perSeed = LuDataComparisons.Describe(small, large, p.MonotoneSlack, p.FlatShare, p.UDepth);
        var values = ErrorLandscapeValues.Of("", small, large, LuDataComparisons.RiseRatios(small, large));
        IReadOnlyList<ClaimFigure> plots = figures ? [ErrorLandscapeValues.Figure(context, "lu", $"{dataSet}, MSE", small, large)] : [];
        return new AnalysisResult(verdict, $"{reason} — on {dataSet}: {perSeed}", values, plots) { Comparisons = comparisons };
    }
}
