using System.Globalization;
using Grokking.Claims.Analyses;
using Grokking.Claims.Contracts;
using Grokking.Claims.Toolkit;
using Grokking.Plots;
using Grokking.Training;

namespace Grokking.Claims.Rules.PG;

/// <summary>
/// PG-1 (Notsawo et al. 2023): above a critical training fraction, the generalization time follows a power law in the
/// fraction r, t(r) ~ 1/r^k, a straight line on log-log axes. Reads a train-fraction sweep (Population:TrainFractions).
/// t is the first metric step with validation accuracy ≥ <c>valLevel</c> (<see cref="AccuracyTimes"/>), "never" when
/// it does not come within the budget. A fraction generalizes when every seed reaches the level; the critical
/// fraction r_c is the smallest above which every fraction generalizes.
/// <list type="bullet">
/// <item>INCONCLUSIVE: fewer than 3 seeds, a diverged member (its "never" is censored, not measured), or fewer than
/// <c>minFractions</c> generalizing fractions for the fit.</item>
/// <item>REFUTED: a fraction fails above one that generalizes (no critical fraction separates the two regimes: more
/// data made generalization impossible, whatever the budget).</item>
/// <item>Otherwise the log-log fit of every (r, t) point of the generalizing fractions is judged by two comparisons
/// (<see cref="Thresholds.Fitted"/>, the claim's scope: typical), each through its 95% bootstrap interval over seeds:
/// R² ≥ <c>minRSquared</c> and the exponent k ≥ 0 (the time falls with r). Wholly on the holding side CONFIRMED,
/// wholly past REFUTED, straddling INCONCLUSIVE within noise. The paper's exponent is shown for distance only: the
/// claim is the shape, and the exponent depends on the setup (model, operation, optimizer).</item>
/// </list>
/// The negative control (<see cref="AnalyzeControl"/>) is the same rule on the sweep with its fractions mirrored.
/// </summary>
public sealed class PowerLawFraction : ClaimAnalysis<PowerLawFraction.Parameters>
{
    public override string Name => "power-law-fraction";

    public override SeedRule SeedRule => SeedRule.PooledFit;

    /// <summary>PG-1's rule and the paper's exponent, reported beside the fitted one.</summary>
    /// <param name="ValLevel">Validation accuracy that marks generalization (t is the first step at it).</param>
    /// <param name="MinFractions">Fractions that must generalize in every seed for the fit; a line needs at least two.</param>
    /// <param name="MinRSquared">Least R² of the log-log line ("a straight line on log-log axes").</param>
    /// <param name="PaperExponent">The paper's k, a distance only (it belongs to the paper's setup).</param>
    public sealed record Parameters(
        [Within(0, 1)] double ValLevel,
        [Within(2, int.MaxValue)] int MinFractions,
        [Within(0, 1)] double MinRSquared,
        [FromPaper("exponent")] double PaperExponent);

    public override string? ControlName => "fractions-mirrored";

    public override AnalysisResult Analyze(ClaimContext context, Parameters parameters)
    {
        var sweep = Measure(context, parameters.ValLevel);
        var (verdict, reason, comparisons) = Judge(sweep, parameters, context.Result);
        var figure = Figure(context, sweep, parameters.ValLevel);
        return new AnalysisResult(verdict, reason, Values(sweep, parameters), [figure]) { Comparisons = comparisons };
    }

    /// <summary>
    /// The negative control: the same rule on the sweep with its fractions mirrored, each fraction given the measured times
    /// of the fraction at the mirrored place (the smallest gets the largest's): more data then makes generalization later
    /// or impossible, the opposite of t ~ 1/r^k above a critical fraction, so the rule must refute it.
    /// </summary>
    public override AnalysisResult AnalyzeControl(ClaimContext context, Parameters parameters)
    {
        var fractions = Measure(context, parameters.ValLevel).Fractions;
        var mirrored = fractions.Select((f, i) => f with { Times = fractions[fractions.Count - 1 - i].Times }).ToList();
        var sweep = Sweep.Of(mirrored, [.. context.Members.Select(m => m.Seed).Distinct().Order()]);
        var (verdict, reason, comparisons) = Judge(sweep, parameters, context.Result);
        return new AnalysisResult(verdict, "fractions mirrored (control): " + reason, Values(sweep, parameters), []) { Comparisons = comparisons };
    }

    /// <summary>Every (fraction, seed) member's time to the level, and the shape and fit they give.</summary>
    private static Sweep Measure(ClaimContext context, double level)
    {
        var claim = context.Claim;
        var members = context.Members;
        if (members.Any(m => double.IsNaN(m.TrainFraction)))
        {
            throw new InvalidOperationException(
                $"{claim.Id}: the analysis reads a train-fraction sweep; the experiment has no Population:TrainFractions");
        }

        if (members.GroupBy(m => (m.TrainFraction, m.Seed)).FirstOrDefault(g => g.Count() > 1) is { } twice)
        {
            throw new InvalidOperationException(
                $"{claim.Id}: {twice.Count()} members have fraction {twice.Key.TrainFraction:G3} and seed {twice.Key.Seed}; "
                + "the claim's member filter must leave one per (fraction, seed)");
        }

        var fractions = members.GroupBy(m => m.TrainFraction).OrderBy(g => g.Key)
            .Select(g => new FractionTimes(g.Key, [.. g.OrderBy(m => m.Seed).Select(m => Time(context.Result, m, level))]))
            .ToList();
        return Sweep.Of(fractions, [.. members.Select(m => m.Seed).Distinct().Order()]);
    }

    private static SeedTime Time(TrainingResult result, MemberSpec m, double level) =>
        new(m.Seed, m.Index, AccuracyTimes.Of(result, m.Index, level));

    /// <summary>The verdict: enough seeds, nothing diverged, a critical fraction, then the fit.</summary>
    private static (Verdict, string, List<Comparison>) Judge(Sweep sweep, Parameters p, TrainingResult result)
    {
        var diverged = sweep.Fractions
            .SelectMany(f => f.Times.Where(t => t.Times.Diverged)
                .Select(t => $"seed {t.Seed} at r {Tag(f.Fraction)} (at step {result.Events[t.Member].DivergedStep})"))
            .ToList();
        var failing = sweep.Fractions.Where(f => !f.Generalizes)
            .Select(f => $"r {Tag(f.Fraction)} ({f.Never} of {f.Times.Count} seeds never)")
            .ToList();
        string failingNote = failing.Count == 0
            ? ""
            : $"; never reached {p.ValLevel:P0} validation accuracy within {result.StepsCompleted} steps in some seed: {string.Join(", ", failing)}";

        if (sweep.Seeds.Count < SeedVerdicts.MinimumSeeds)
        {
            return (Verdict.Inconclusive, $"only {sweep.Seeds.Count} seed(s); at least {SeedVerdicts.MinimumSeeds} are required", []);
        }

        if (diverged.Count > 0)
        {
            return (Verdict.Inconclusive,
                $"diverged: {string.Join(", ", diverged)}; a diverged member's time is censored, not measured{failingNote}", []);
        }

        if (sweep.FailingAbove.Count > 0)
        {
            string failingAbove = string.Join(", ", sweep.FailingAbove.Select(f => Tag(f.Fraction)));
            return (Verdict.Refuted,
                $"r {failingAbove} fails above r {Tag(sweep.Fractions[sweep.FirstGeneralizing].Fraction)}, "
                + $"which generalizes in every seed: no critical fraction separates failing from generalizing fractions{failingNote}", []);
        }

        if (sweep.Fit is null || sweep.Generalizing.Count < p.MinFractions)
        {
            string reported = sweep.Fit is not { } line
                ? ""
                : $" (the line through them, reported only: k = {Exponent(line.Slope):0.###}, "
                    + $"95% bootstrap [{Exponent(line.SlopeHigh):0.###}, {Exponent(line.SlopeLow):0.###}], "
                    + $"R² {line.RSquared:0.###} over {line.Points} points)";
            string few = $"only {sweep.Generalizing.Count} of {sweep.Fractions.Count} fractions generalized in every seed; "
                + $"at least {p.MinFractions} are needed for the fit";
            var shown = sweep.Fit is null ? [] : NotDecisive(JudgeFit(sweep, sweep.Fit, p.MinRSquared, ""), few);
            return (Verdict.Inconclusive, $"{few}{reported}{failingNote}", shown);
        }

        if (sweep.Generalizing.SelectMany(f => f.Times.Select(t => t.Times.TestStep)).Distinct().Count() == 1)
        {
            // Every point at the same time: the slope is exactly 0 in every resample, so the interval cannot be read.
            return (Verdict.Refuted, $"t is the same at every generalizing fraction: it does not fall with r (k = 0, not > 0){failingNote}", []);
        }

        return JudgeFit(sweep, sweep.Fit, p.MinRSquared, failingNote);
    }

    /// <summary>
    /// Enough fractions generalize: the line must be straight and fall. Two comparisons by the claim's scope (PG-1 is
    /// typical), each through the fit's own 95 % bootstrap interval over seeds: R² ≥ minRSquared, and the exponent
    /// k = −slope ≥ 0 (its interval above 0: t falls with r).
    /// </summary>
    private static (Verdict, string, List<Comparison>) JudgeFit(Sweep sweep, LogLogFit fit, double minR2, string failingNote)
    {
        var (r2Low, r2High) = RSquaredInterval(sweep);
        List<double> perSeed = [.. sweep.Seeds.Select(seed => SeedExponent(sweep, seed))];
        List<Comparison> comparisons =
        [
            Thresholds.Fitted(new Quantity("rSquared", "R² of the log-log fit of t against r"), (fit.RSquared, r2Low, r2High),
                sweep.Seeds.Count, Relation.AtLeast, minR2, perSeed),
            Thresholds.Fitted(new Quantity("exponent", "exponent k of t ~ 1/r^k"),
                (Exponent(fit.Slope), Exponent(fit.SlopeHigh), Exponent(fit.SlopeLow)), sweep.Seeds.Count, Relation.AtLeast, 0, perSeed),
        ];
        var (verdict, reason) = Thresholds.Combine(comparisons);
        string summary = $"{fit.Points} points over {sweep.Generalizing.Count} fractions (per-seed exponents "
            + $"{string.Join(", ", perSeed.Select(k => k.ToString("0.###", CultureInfo.InvariantCulture)))}); {sweep.CriticalText}{failingNote}";
        return (verdict, $"{reason} — {summary}", comparisons);
    }

    /// <summary>
    /// The line through too few fractions, compared as the rule would (intervals and flip points shown), each comparison
    /// INCONCLUSIVE with <paramref name="why"/>: the fit's precondition, not the line, decides.
    /// </summary>
    private static List<Comparison> NotDecisive((Verdict, string, List<Comparison> Comparisons) fit, string why) =>
    [
        .. fit.Comparisons.Select(c => c with
        {
            Verdict = Verdict.Inconclusive,
            SeedsNeeded = null,
            Reason = $"not decisive ({why}); the line through them alone would say {c.Verdict.ToString().ToUpperInvariant()}: {c.Reason}",
        }),
    ];

    /// <summary>
    /// R²'s 95 % percentile interval over seeds by <see cref="SeedBootstrap"/>, the resampling behind
    /// <see cref="LogLogFit"/>'s slope, so both comparisons read the same uncertainty.
    /// </summary>
    private static (double Low, double High) RSquaredInterval(Sweep sweep)
    {
        var groups = sweep.Seeds
            .Select(seed => sweep.Generalizing.SelectMany(f => f.Times.Where(t => t.Seed == seed)
                .Select(t => (X: Math.Log10(f.Fraction), Y: Math.Log10(t.Times.TestStep)))).ToList())
            .Where(g => g.Count > 0)
            .ToList();
        return SeedBootstrap.Interval(groups, sample => LogLogFit.Line([.. sample.SelectMany(g => g)]).RSquared);
    }

    /// <summary>One seed's exponent over the generalizing fractions (the spread behind the pooled fit); NaN with fewer than 2.</summary>
    private static double SeedExponent(Sweep sweep, long seed)
    {
        var points = sweep.Generalizing.SelectMany(f => f.Times.Where(t => t.Seed == seed)
            .Select(t => (Math.Log10(f.Fraction), Math.Log10(t.Times.TestStep)))).ToList();
        return points.Count < 2 ? double.NaN : Exponent(LogLogFit.Line(points).Slope);
    }

    private static List<MeasuredValue> Values(Sweep sweep, Parameters p)
    {
        var fit = sweep.Fit;
        var measured = new List<MeasuredValue>
        {
            new("exponent k of t ~ 1/r^k (minus the log-log slope)", Exponent(fit?.Slope ?? double.NaN), "", p.PaperExponent,
                "distance only: decided by the slope's interval below 0", Key: "exponent"),
            new("exponent, bootstrap 2.5% (over seeds)", Exponent(fit?.SlopeHigh ?? double.NaN), "", null, null, Key: "exponentLow"),
            new("exponent, bootstrap 97.5% (over seeds)", Exponent(fit?.SlopeLow ?? double.NaN), "", null, null, Key: "exponentHigh"),
            new("R² of the log-log fit", fit?.RSquared ?? double.NaN, "", null, $">= {p.MinRSquared}", Key: "rSquared"),
            new("points in the fit", fit?.Points ?? 0, "", null, null, Key: "points"),
            new("fractions that generalized in every seed", sweep.Generalizing.Count, "", null, $">= {p.MinFractions}",
                Key: "generalizingFractions"),
            new("critical fraction (smallest above which every fraction generalizes; NaN = none)", sweep.Critical, "", null, null,
                Key: "criticalFraction"),
        };
        foreach (var f in sweep.Fractions)
        {
            var perSeed = f.Times.Select(t => t.Times.TestStep).ToList();
            string r = Tag(f.Fraction);
            measured.Add(new(
                $"steps to {p.ValLevel:P0} validation accuracy at r {r} (median, never counted as latest; NaN = never)",
                MemberSeries.MedianTime(perSeed), "step", null, null, perSeed, Key: $"t-r{r}"));
            measured.Add(new($"seeds that never reached {p.ValLevel:P0} validation accuracy at r {r}", f.Never, "", null, null,
                Key: $"never-r{r}"));
        }

        return measured;
    }

    private static ClaimFigure Figure(ClaimContext context, Sweep sweep, double level)
    {
        var series = new List<(string, double[], double[])>();
        foreach (long seed in sweep.Seeds)
        {
            var done = sweep.Fractions
                .Select(f => (f.Fraction, Step: f.Times.FirstOrDefault(t => t.Seed == seed)?.Times.TestStep ?? double.NaN))
                .Where(p => double.IsFinite(p.Step))
                .ToList();
            series.Add(($"seed {seed}", done.Select(p => Math.Log10(p.Fraction)).ToArray(), done.Select(p => Math.Log10(p.Step)).ToArray()));
        }

        if (sweep.Fit is { } fit)
        {
            var fitted = sweep.Generalizing;
            double[] x = [Math.Log10(fitted[0].Fraction), Math.Log10(fitted[^1].Fraction)];
            double[] y = [.. x.Select(v => fit.Intercept + (fit.Slope * v))];
            series.Add(($"fit: k = {Exponent(fit.Slope):0.00}, R² {fit.RSquared:0.00}", x, y));
        }

        var markers = double.IsFinite(sweep.Critical) ? new List<(double, string)> { (Math.Log10(sweep.Critical), "r_c") } : [];
        string title = $"{context.Claim.Id}: steps to {level:P0} validation accuracy against the train fraction (log-log; missing = never)";
        return context.Plot("time-vs-fraction", title,
            (dir, file) => LineChart.Write(dir, file, title, "log10 train fraction", "log10 steps", series, markers));
    }

    /// <summary>k = −slope; 0 − slope rather than −slope so that a flat fit prints k = 0, not −0.</summary>
    private static double Exponent(double slope) => 0 - slope;

    private static string Tag(double fraction) => fraction.ToString("G3", CultureInfo.InvariantCulture);

    private sealed record SeedTime(long Seed, int Member, AccuracyTimes Times);

    /// <summary>One fraction's times, per seed.</summary>
    private sealed record FractionTimes(double Fraction, List<SeedTime> Times)
    {
        public bool Generalizes => Never == 0;

        public int Never => Times.Count(t => !double.IsFinite(t.Times.TestStep));
    }

    /// <summary>
    /// The sweep's fractions (ascending) and seeds, with its shape: the critical fraction r_c, the fractions that fail
    /// above the first generalizing one, and the log-log fit over every (r, seed) point of the generalizing fractions.
    /// </summary>
    private sealed record Sweep(List<FractionTimes> Fractions, List<long> Seeds, List<FractionTimes> Generalizing, LogLogFit? Fit)
    {
        public static Sweep Of(List<FractionTimes> fractions, List<long> seeds)
        {
            var generalizing = fractions.Where(f => f.Generalizes).ToList();
            var points = generalizing
                .SelectMany(f => f.Times.Select(t => (X: f.Fraction, Y: t.Times.TestStep, Group: t.Seed)))
                .ToList();
            return new Sweep(fractions, seeds, generalizing, generalizing.Count >= 2 ? LogLogFit.Fit(points) : null);
        }

        /// <summary>
        /// Where the run of generalizing fractions at the top of the sweep starts (r_c is its fraction); a failing
        /// fraction anywhere above the first generalizing one breaks the shape.
        /// </summary>
        public int UpperStart => Fractions.Count - Fractions.AsEnumerable().Reverse().TakeWhile(f => f.Generalizes).Count();

        public double Critical => UpperStart < Fractions.Count ? Fractions[UpperStart].Fraction : double.NaN;

        public int FirstGeneralizing => Fractions.FindIndex(f => f.Generalizes);

        public List<FractionTimes> FailingAbove =>
            [.. Fractions.Where((f, i) => FirstGeneralizing >= 0 && i > FirstGeneralizing && !f.Generalizes)];

        public string CriticalText => UpperStart == 0 && Fractions.Count > 0
            ? $"every fraction generalized, so r_c <= {Tag(Critical)}"
            : double.IsNaN(Critical) ? "no critical fraction (the largest fraction does not generalize)" : $"critical fraction {Tag(Critical)}";
    }
}
