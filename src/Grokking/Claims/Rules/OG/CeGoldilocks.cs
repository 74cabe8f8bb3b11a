using Grokking.Claims.Analyses;
using Grokking.Claims.Contracts;
using Grokking.Claims.Toolkit;

namespace Grokking.Claims.Rules.OG;

/// <summary>
/// OG-12 (Omnigrok appendix, Fig. 11): with the cross-entropy loss the reduced error landscape keeps the LU picture,
/// with a broader Goldilocks zone than MSE. Reads four runs on one grid and seeds: the claim's experiment (cross-entropy,
/// small N), <see cref="CeLargeExperiment"/>, and OG-10's MSE runs <see cref="MseExperiment"/> and
/// <see cref="MseLargeExperiment"/>. Per seed, judged over the seeds by the claim's scope: the cross-entropy runs by
/// OG-10's reading (<see cref="LuDataComparisons"/>: L and U at the small N, the U's right arm at most
/// <c>maxRiseRatio</c> of it at the large N), and the zone's widening at the small N - the width in decades of alpha
/// where the test error is at most its minimum + <c>zoneMargin</c> (<see cref="ReducedErrors.ZoneWidth"/>), cross-entropy
/// minus MSE - at least <c>minWidening</c>. The negative control swaps the losses: MSE read as cross-entropy must not
/// come out broader.
/// </summary>
public sealed class CeGoldilocks : ClaimAnalysis<CeGoldilocks.Parameters>
{
    public const string CeLargeExperiment = "og-mnist-lu-ce-large";

    public const string MseExperiment = "og-mnist-lu";

    public const string MseLargeExperiment = "og-mnist-lu-large";

    public const string Control = "losses-swapped";

    public override string Name => "ce-goldilocks";

    public override SeedRule SeedRule => SeedRule.EverySeed;

    public override string? ControlName => Control;

    /// <summary>OG-12's rule: OG-10's LU reading, and the zone's margin and the widening that reads as "broader".</summary>
    public sealed record Parameters(
        [Within(0, 1)] double MonotoneSlack,
        [Within(0, 1)] double FlatShare,
        [Within(0, double.MaxValue)] double UDepth,
        [Within(0, 1)] double MaxRiseRatio,
        [Within(0, 1)] double ZoneMargin,
        [Within(0, double.MaxValue)] double MinWidening);

    private sealed record Arms(ClaimContext Small, ClaimContext Large);

    public override AnalysisResult Analyze(ClaimContext context, Parameters parameters) =>
        Run(context, new Arms(context, context.Companion(CeLargeExperiment)),
            new Arms(context.Companion(MseExperiment), context.Companion(MseLargeExperiment)), parameters, figures: true);

    /// <summary>The rule with the losses swapped (see the class summary).</summary>
    public override AnalysisResult AnalyzeControl(ClaimContext context, Parameters parameters) =>
        Run(context, new Arms(context.Companion(MseExperiment), context.Companion(MseLargeExperiment)),
            new Arms(context, context.Companion(CeLargeExperiment)), parameters, figures: false);

    private static AnalysisResult Run(ClaimContext context, Arms ce, Arms mse, Parameters p, bool figures)
    {
        string dataSet = context.Options?.Data.DataSetName ?? "images";
        var ceSmall = ReducedErrors.Read(ce.Small);
        var ceLarge = ReducedErrors.Read(ce.Large);
        var mseSmall = ReducedErrors.Read(mse.Small);
        var comparisons = LuDataComparisons.Judge(
            context.Claim.ScopeKind, "ce-", "cross-entropy", ceSmall, ceLarge, (p.MonotoneSlack, p.FlatShare, p.UDepth, p.MaxRiseRatio));
        var widening = Widening(ceSmall, mseSmall, p.ZoneMargin);
        comparisons.Add(Censored(Thresholds.Judge(context.Claim.ScopeKind,
            new Quantity("zoneWidening", "small N: Goldilocks zone width, cross-entropy minus MSE", "decades of alpha"),
            widening, Relation.AtLeast, p.MinWidening), ceSmall, mseSmall, p.ZoneMargin));
        var (verdict, reason) = Thresholds.Combine(comparisons);
        string zones = string.Join("; ", ceSmall.Select((c, i) => $"seed {c.Seed}: zone {Zone(c, p)} (cross-entropy) vs "
            + (mseSmall.FirstOrDefault(m => m.Seed == c.Seed) is { } m ? Zone(m, p) : "missing") + " (MSE)"));
        string perSeed = LuDataComparisons.Describe(ceSmall, ceLarge, p.MonotoneSlack, p.FlatShare, p.UDepth);
        var values = ErrorLandscapeValues.Of("ce-", ceSmall, ceLarge, LuDataComparisons.RiseRatios(ceSmall, ceLarge));
        values.Insert(0, new MeasuredValue("small N: zone width, cross-entropy minus MSE (median over seeds)", MemberSeries.Median(widening),
            "decades", null, $">= {p.MinWidening}", widening, Key: "zoneWidening"));
        IReadOnlyList<ClaimFigure> plots =
            figures ? [ErrorLandscapeValues.Figure(context, "lu-ce", $"{dataSet}, cross-entropy", ceSmall, ceLarge)] : [];
        return new AnalysisResult(verdict, $"{reason} — on {dataSet}: {zones}; cross-entropy: {perSeed}", values, plots)
        {
            Comparisons = comparisons,
        };
    }

    /// <summary>
    /// A zone cut by the grid's end is a lower bound of its width (amended after the paper run of 2026-12-06, see the
    /// claim file): a cut cross-entropy zone makes the widening a lower bound, which cannot refute; a cut MSE zone makes it
    /// an upper bound, which cannot confirm. Either way the comparison is INCONCLUSIVE, and says which seeds were cut.
    /// </summary>
    private static Comparison Censored(Comparison widening, IReadOnlyList<ReducedErrors> ce, IReadOnlyList<ReducedErrors> mse, double margin)
    {
        var ceCut = ce.Where(e => e.ZoneCensored(margin)).Select(e => e.Seed).ToList();
        var mseCut = mse.Where(e => e.ZoneCensored(margin)).Select(e => e.Seed).ToList();
        string? why = widening.Verdict == Verdict.Refuted && ceCut.Count > 0
            ? $"not refuted: the cross-entropy zone reaches a grid end (seeds {string.Join(", ", ceCut)}), so the widening is only a lower bound"
            : widening.Verdict == Verdict.Confirmed && mseCut.Count > 0
                ? $"not confirmed: the MSE zone reaches a grid end (seeds {string.Join(", ", mseCut)}), so the widening is only an upper bound"
                : null;
        return why is null ? widening : widening with
        {
            Verdict = Verdict.Inconclusive,
            Reason = $"{widening.Reason}; {why}; a wider alpha grid would decide",
        };
    }

    /// <summary>Per seed of <paramref name="ce"/>: its zone width minus the MSE run's of the same seed (NaN where either has none).</summary>
    private static List<double> Widening(IReadOnlyList<ReducedErrors> ce, IReadOnlyList<ReducedErrors> mse, double margin) =>
        [.. ce.Select(c => mse.FirstOrDefault(m => m.Seed == c.Seed) is { } m ? c.ZoneWidth(margin) - m.ZoneWidth(margin) : double.NaN)];

    private static string Zone(ReducedErrors e, Parameters p) =>
        $"{e.ZoneWidth(p.ZoneMargin):0.##} decades{(e.ZoneCensored(p.ZoneMargin) ? " (reaches a grid end: a lower bound)" : "")}";
}
