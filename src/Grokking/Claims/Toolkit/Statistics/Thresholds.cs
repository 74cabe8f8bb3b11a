using Grokking.Claims.Contracts;

namespace Grokking.Claims.Toolkit;

/// <summary>
/// Judges a decisive quantity against its rule's threshold by the claim's scope (issue 25) and says where the verdict
/// would flip:
/// <list type="bullet">
/// <item>typical: the 95 % interval decides — wholly on the holding side CONFIRMED, wholly past it REFUTED, straddling
/// it INCONCLUSIVE "within noise" with the seeds that would decide at the observed spread; at least 3 values;</item>
/// <item>universal: one seed past the threshold by more than the measurement's resolution refutes (even among fewer
/// than 3 values); a seed past it within the resolution leaves it INCONCLUSIVE; every seed on the holding side
/// (at least 3) confirms.</item>
/// </list>
/// Missing values (NaN: an event that never came) are kept in the per-seed list and left out of the statistics; the
/// analysis reports why they are missing.
/// </summary>
public static class Thresholds
{
    public const int MinimumValues = 3;

    /// <summary>The comparison by the claim's scope: <see cref="Typical"/> or <see cref="Universal"/>.</summary>
    public static Comparison Judge(
        ClaimScope scope, Quantity quantity, IReadOnlyList<double> perSeed, Relation relation, double threshold, double resolution = 0) =>
        scope == ClaimScope.Typical
            ? Typical(quantity, perSeed, relation, threshold)
            : Universal(quantity, perSeed, relation, threshold, resolution);

    /// <summary>A typical claim read through the Student-t interval of the seed mean.</summary>
    public static Comparison Typical(Quantity quantity, IReadOnlyList<double> perSeed, Relation relation, double threshold)
    {
        var interval = SeedInterval.Of(Finite(perSeed));
        var comparison = ByInterval(
            quantity, perSeed, relation, threshold, (interval.Mean, interval.Low, interval.High), IntervalMethod.StudentT, interval.Count);
        return Straddles(comparison) ? WithinNoise(comparison, interval.SeedsToDecide(threshold), "seeds") : comparison;
    }

    /// <summary>A typical claim on a share pooled over seeds (k of n events), read through its Wilson interval.</summary>
    public static Comparison Share(
        Quantity quantity, int successes, int trials, Relation relation, double threshold, IReadOnlyList<double> perSeed)
    {
        var interval = WilsonInterval.Of(successes, trials);
        var comparison = ByInterval(
            quantity, perSeed, relation, threshold, (interval.Share, interval.Low, interval.High), IntervalMethod.Wilson,
            trials, $"{successes} of {trials}");
        return Straddles(comparison) ? WithinNoise(comparison, interval.TrialsToDecide(threshold), "events") : comparison;
    }

    /// <summary>
    /// A typical claim on a fitted quantity (slope, exponent, correlation), read through the fit's own interval over
    /// <paramref name="seeds"/> seeds; within noise, the seeds that would decide assume the interval narrows as 1/√seeds.
    /// </summary>
    public static Comparison Fitted(
        Quantity quantity, (double Estimate, double Low, double High) fit, int seeds, Relation relation, double threshold,
        IReadOnlyList<double> perSeed)
    {
        var comparison = ByInterval(quantity, perSeed, relation, threshold, fit, IntervalMethod.Fit, seeds);
        if (!Straddles(comparison))
        {
            return comparison;
        }

        double gap = Math.Abs(fit.Estimate - threshold), half = (fit.High - fit.Low) / 2;
        int? needed = gap > 0 && double.IsFinite(half) ? Math.Max(seeds + 1, (int)Math.Ceiling(seeds * Math.Pow(half / gap, 2))) : null;
        return WithinNoise(comparison, needed, "seeds");
    }

    /// <summary>
    /// A universal claim: the seed furthest on the failing side decides; <paramref name="resolution"/> is how far a value
    /// may sit past the threshold and still be a measurement artefact (the metric cadence, one misclassified pair).
    /// </summary>
    public static Comparison Universal(
        Quantity quantity, IReadOnlyList<double> perSeed, Relation relation, double threshold, double resolution)
    {
        var finite = Finite(perSeed);
        resolution = ResolutionOf(quantity, resolution, finite.Count);
        var interval = SeedInterval.Of(finite);
        double worst = finite.Count == 0 ? double.NaN : relation == Relation.AtMost ? finite.Max() : finite.Min();
        double past = relation == Relation.AtMost ? worst - threshold : threshold - worst;
        double refuteAt = relation == Relation.AtMost ? worst - resolution : worst + resolution;
        var (verdict, why) = finite.Count == 0 ? (Verdict.Inconclusive, "no seed has the value")
            : past > resolution
                ? (Verdict.Refuted, $"counterexample {Number(worst)} is past the threshold by more than the resolution {Number(resolution)}")
            : past > 0 ? (Verdict.Inconclusive, $"worst seed {Number(worst)} is past the threshold only within the resolution {Number(resolution)}")
            : finite.Count < MinimumValues ? (Verdict.Inconclusive, $"only {finite.Count} seed(s) have the value ({MinimumValues} needed)")
            : (Verdict.Confirmed, $"every seed holds, worst {Number(worst)}");
        // Fewer than 3 values confirm at no threshold (one counterexample still refutes).
        var flip = finite.Count == 0 ? new FlipPoint(double.NaN, double.NaN)
            : new FlipPoint(finite.Count < MinimumValues ? double.NaN : worst, refuteAt);
        return new Comparison(
            quantity.Key, quantity.Name, quantity.Unit, relation, threshold, ClaimScope.Universal, perSeed, interval.Mean,
            interval.Low, interval.High, IntervalMethod.StudentT, resolution, verdict,
            $"{quantity.Name} {Relations.Symbol(relation)} {Number(threshold)} in every seed: {why}{Missing(perSeed)}", flip)
        {
            Worst = worst,
        };
    }

    /// <summary>
    /// Every comparison must hold: one REFUTED refutes, one INCONCLUSIVE leaves the rule undecided, otherwise CONFIRMED;
    /// the reason lists each comparison's. No comparisons: INCONCLUSIVE (nothing was measured).
    /// </summary>
    public static (Verdict Verdict, string Reason) Combine(IReadOnlyList<Comparison> comparisons)
    {
        if (comparisons.Count == 0)
        {
            return (Verdict.Inconclusive, "no decisive comparison could be made");
        }

        var verdicts = comparisons.Select(c => c.Verdict).ToList();
        var verdict = verdicts.Contains(Verdict.Refuted) ? Verdict.Refuted
            : verdicts.Contains(Verdict.Inconclusive) ? Verdict.Inconclusive : Verdict.Confirmed;
        return (verdict, string.Join("; ", comparisons.Select(c => $"{c.Verdict.ToString().ToUpperInvariant()}: {c.Reason}")));
    }

    private static Comparison ByInterval(
        Quantity quantity,
        IReadOnlyList<double> perSeed,
        Relation relation,
        double threshold,
        (double Estimate, double Low, double High) interval,
        IntervalMethod method,
        int count,
        string? counted = null)
    {
        var (estimate, low, high) = interval;
        bool atMost = relation == Relation.AtMost;
        double confirmAt = atMost ? high : low, refuteAt = atMost ? low : high;
        string shown = $"{Number(estimate)} [{Number(low)}, {Number(high)}] ({IntervalMethods.Describe(method)}, {counted ?? $"{count} seeds"})";
        string rule = $"{quantity.Name} {Relations.Symbol(relation)} {Number(threshold)}";
        // A fit or share whose estimate or interval could not be computed (NaN) decides nothing: NaN bounds would
        // otherwise read as "not on the holding side" and refute.
        bool computed = double.IsFinite(estimate) && !double.IsNaN(low) && !double.IsNaN(high);
        var (verdict, why) = count < MinimumValues ? (Verdict.Inconclusive, $"only {count} value(s) ({MinimumValues} needed)")
            : !computed ? (Verdict.Inconclusive, "the estimate or its interval could not be computed")
            : Relations.Holds(relation, confirmAt, threshold) ? (Verdict.Confirmed, "the interval lies on the holding side")
            : !Relations.Holds(relation, refuteAt, threshold) ? (Verdict.Refuted, "the interval lies wholly past the threshold")
            : (Verdict.Inconclusive, "within noise: the interval straddles the threshold");
        var flip = computed && count >= MinimumValues ? new FlipPoint(confirmAt, refuteAt) : new FlipPoint(double.NaN, double.NaN);
        return new Comparison(
            quantity.Key, quantity.Name, quantity.Unit, relation, threshold, ClaimScope.Typical, perSeed, estimate, low, high, method,
            0, verdict, $"{rule}: {shown}; {why}{Missing(perSeed)}", flip);
    }

    /// <summary>Undecided because its interval straddles the threshold (not for want of values or of an interval).</summary>
    private static bool Straddles(Comparison comparison) =>
        comparison.Verdict == Verdict.Inconclusive && !double.IsNaN(comparison.Flip.ConfirmAt) && !double.IsNaN(comparison.Flip.RefuteAt);

    private static Comparison WithinNoise(Comparison comparison, int? needed, string what) => comparison with
    {
        SeedsNeeded = needed,
        Reason = comparison.Reason + (needed is { } n
            ? $"; about {n} {what} would decide at the observed spread"
            : $"; no affordable number of {what} decides it at the observed spread"),
    };

    /// <summary>
    /// A resolution derived from values that never came (a time that was never reached) is NaN; it matters only when some
    /// seed has a value, and then it must be a finite number >= 0 (else the rule computed it wrongly: fail loudly).
    /// </summary>
    private static double ResolutionOf(Quantity quantity, double resolution, int values) =>
        double.IsFinite(resolution) && resolution >= 0 ? resolution
        : values == 0 ? 0
        : throw new ArgumentException($"{quantity.Key}: the resolution {resolution} is not a finite number >= 0", nameof(resolution));

    private static List<double> Finite(IReadOnlyList<double> values) => values.Where(double.IsFinite).ToList();

    private static string Missing(IReadOnlyList<double> perSeed)
    {
        int missing = perSeed.Count(v => !double.IsFinite(v));
        return missing == 0 ? "" : $" ({missing} seed(s) without the value, left out)";
    }

    private static string Number(double value) => FlipPoint.Number(value);
}
