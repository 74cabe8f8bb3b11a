using System.Globalization;
using Grokking.Claims.Analyses;
using Grokking.Claims.Contracts;
using Grokking.Claims.Toolkit;
using Grokking.Plots;

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
/// data made generalization impossible, whatever the budget), or the log-log fit of every (r, t) point of the
/// generalizing fractions has R² &lt; <c>minRSquared</c>, or the 95% bootstrap interval (over seeds) of its slope
/// reaches 0 (the time does not fall with r).</item>
/// <item>CONFIRMED otherwise. The paper's exponent is shown for distance only: the claim is the shape, and the
/// exponent depends on the setup (model, operation, optimizer).</item>
/// </list>
/// </summary>
public sealed class PowerLawFraction : LegacyClaimAnalysis
{
    public override string Name => "power-law-fraction";

    public override IReadOnlyList<string> RequiredTolerances => ["valLevel", "minFractions", "minRSquared"];

    public override IReadOnlyList<string> RequiredPaperValues => ["exponent"];

    public override AnalysisResult Analyze(ClaimContext context)
    {
        var claim = context.Claim;
        var result = context.Result;
        double level = claim.ToleranceOf("valLevel");
        int minFractions = (int)claim.ToleranceOf("minFractions");
        double minR2 = claim.ToleranceOf("minRSquared");
        double paperExponent = claim.PaperValueOf("exponent");

        var members = context.Members;
        if (members.Any(m => double.IsNaN(m.TrainFraction)))
        {
            throw new InvalidOperationException($"{claim.Id}: the analysis reads a train-fraction sweep; the experiment has no Population:TrainFractions");
        }

        if (members.GroupBy(m => (m.TrainFraction, m.Seed)).FirstOrDefault(g => g.Count() > 1) is { } twice)
        {
            throw new InvalidOperationException($"{claim.Id}: {twice.Count()} members have fraction {twice.Key.TrainFraction:G3} and seed {twice.Key.Seed}; the claim's member filter must leave one per (fraction, seed)");
        }

        var sweep = members.GroupBy(m => m.TrainFraction).OrderBy(g => g.Key)
            .Select(g => new FractionTimes(g.Key, g.OrderBy(m => m.Seed).Select(m => new SeedTime(m.Seed, m.Index, AccuracyTimes.Of(result, m.Index, level))).ToList()))
            .ToList();
        var seeds = members.Select(m => m.Seed).Distinct().Order().ToList();

        // r_c starts the run of generalizing fractions at the top of the sweep; a failing fraction anywhere above the
        // first generalizing one breaks the shape.
        int upperStart = sweep.Count;
        while (upperStart > 0 && sweep[upperStart - 1].Generalizes)
        {
            upperStart--;
        }

        double critical = upperStart < sweep.Count ? sweep[upperStart].Fraction : double.NaN;
        int firstGeneralizing = sweep.FindIndex(f => f.Generalizes);
        var failingAbove = sweep.Where((f, i) => firstGeneralizing >= 0 && i > firstGeneralizing && !f.Generalizes).ToList();
        var generalizing = sweep.Where(f => f.Generalizes).ToList();
        var points = generalizing.SelectMany(f => f.Times.Select(t => (X: f.Fraction, Y: t.Times.TestStep, Group: t.Seed))).ToList();
        var fit = generalizing.Count >= 2 ? LogLogFit.Fit(points) : null;

        var diverged = sweep.SelectMany(f => f.Times.Where(t => t.Times.Diverged).Select(t => $"seed {t.Seed} at r {Tag(f.Fraction)} (at step {result.Events[t.Member].DivergedStep})")).ToList();
        var failing = sweep.Where(f => !f.Generalizes).Select(f => $"r {Tag(f.Fraction)} ({f.Never} of {f.Times.Count} seeds never)").ToList();
        string criticalText = upperStart == 0 && sweep.Count > 0
            ? $"every fraction generalized, so r_c <= {Tag(critical)}"
            : double.IsNaN(critical) ? "no critical fraction (the largest fraction does not generalize)" : $"critical fraction {Tag(critical)}";
        string failingNote = failing.Count == 0 ? "" : $"; never reached {level:P0} validation accuracy within {result.StepsCompleted} steps in some seed: {string.Join(", ", failing)}";

        (Verdict, string) decision;
        if (seeds.Count < SeedVerdicts.MinimumSeeds)
        {
            decision = (Verdict.Inconclusive, $"only {seeds.Count} seed(s); at least {SeedVerdicts.MinimumSeeds} are required");
        }
        else if (diverged.Count > 0)
        {
            decision = (Verdict.Inconclusive, $"diverged: {string.Join(", ", diverged)}; a diverged member's time is censored, not measured{failingNote}");
        }
        else if (failingAbove.Count > 0)
        {
            decision = (Verdict.Refuted, $"r {string.Join(", ", failingAbove.Select(f => Tag(f.Fraction)))} fails above r {Tag(sweep[firstGeneralizing].Fraction)}, which generalizes in every seed: no critical fraction separates failing from generalizing fractions{failingNote}");
        }
        else if (fit is null || generalizing.Count < minFractions)
        {
            string reported = fit is null ? "" : $" (the line through them, reported only: k = {Exponent(fit.Slope):0.###}, 95% bootstrap [{Exponent(fit.SlopeHigh):0.###}, {Exponent(fit.SlopeLow):0.###}], R² {fit.RSquared:0.###} over {fit.Points} points)";
            decision = (Verdict.Inconclusive, $"only {generalizing.Count} of {sweep.Count} fractions generalized in every seed; at least {minFractions} are needed for the fit{reported}{failingNote}");
        }
        else
        {
            var failures = new List<string>();
            if (!(fit.RSquared >= minR2))
            {
                failures.Add($"R² {fit.RSquared:0.###} < {minR2}: log t is not a straight line in log r");
            }

            if (!(fit.SlopeHigh < 0))
            {
                failures.Add($"the slope's 95% interval [{fit.SlopeLow:0.###}, {fit.SlopeHigh:0.###}] reaches 0: t does not fall with r");
            }

            string summary = $"t ~ r^-k with k = {Exponent(fit.Slope):0.###} (95% bootstrap over seeds [{Exponent(fit.SlopeHigh):0.###}, {Exponent(fit.SlopeLow):0.###}]), R² {fit.RSquared:0.###} (at least {minR2} needed), {fit.Points} points over {generalizing.Count} fractions; {criticalText}{failingNote}";
            decision = failures.Count == 0 ? (Verdict.Confirmed, summary) : (Verdict.Refuted, string.Join("; ", failures) + " — " + summary);
        }

        var measured = new List<MeasuredValue>
        {
            new("exponent k of t ~ 1/r^k (minus the log-log slope)", Exponent(fit?.Slope ?? double.NaN), "", paperExponent, "distance only: decided by the slope's interval below 0", Key: "exponent"),
            new("exponent, bootstrap 2.5% (over seeds)", Exponent(fit?.SlopeHigh ?? double.NaN), "", null, null, Key: "exponentLow"),
            new("exponent, bootstrap 97.5% (over seeds)", Exponent(fit?.SlopeLow ?? double.NaN), "", null, null, Key: "exponentHigh"),
            new("R² of the log-log fit", fit?.RSquared ?? double.NaN, "", null, $">= {minR2}", Key: "rSquared"),
            new("points in the fit", fit?.Points ?? 0, "", null, null, Key: "points"),
            new("fractions that generalized in every seed", generalizing.Count, "", null, $">= {minFractions}", Key: "generalizingFractions"),
            new("critical fraction (smallest above which every fraction generalizes; NaN = none)", critical, "", null, null, Key: "criticalFraction"),
        };
        foreach (var f in sweep)
        {
            var perSeed = f.Times.Select(t => t.Times.TestStep).ToList();
            measured.Add(new($"steps to {level:P0} validation accuracy at r {Tag(f.Fraction)} (median, never counted as latest; NaN = never)", MemberSeries.MedianTime(perSeed), "step", null, null, perSeed, Key: $"t-r{Tag(f.Fraction)}"));
            measured.Add(new($"seeds that never reached {level:P0} validation accuracy at r {Tag(f.Fraction)}", f.Never, "", null, null, Key: $"never-r{Tag(f.Fraction)}"));
        }

        return new AnalysisResult(decision.Item1, decision.Item2, measured, [Figure(context, sweep, seeds, fit, critical, level)]);
    }

    private static ClaimFigure Figure(ClaimContext context, List<FractionTimes> sweep, List<long> seeds, LogLogFit? fit, double critical, double level)
    {
        var series = new List<(string, double[], double[])>();
        foreach (long seed in seeds)
        {
            var done = sweep.Select(f => (f.Fraction, Step: f.Times.FirstOrDefault(t => t.Seed == seed)?.Times.TestStep ?? double.NaN)).Where(p => double.IsFinite(p.Step)).ToList();
            series.Add(($"seed {seed}", done.Select(p => Math.Log10(p.Fraction)).ToArray(), done.Select(p => Math.Log10(p.Step)).ToArray()));
        }

        var fitted = sweep.Where(f => f.Generalizes).ToList();
        if (fit is not null)
        {
            double[] x = [Math.Log10(fitted[0].Fraction), Math.Log10(fitted[^1].Fraction)];
            series.Add(($"fit: k = {Exponent(fit.Slope):0.00}, R² {fit.RSquared:0.00}", x, x.Select(v => fit.Intercept + (fit.Slope * v)).ToArray()));
        }

        var markers = double.IsFinite(critical) ? new List<(double, string)> { (Math.Log10(critical), "r_c") } : [];
        var (dir, file) = context.Figure("time-vs-fraction");
        string title = $"{context.Claim.Id}: steps to {level:P0} validation accuracy against the train fraction (log-log; missing = never)";
        return context.FigureOf(title, LineChart.Write(dir, file, title, "log10 train fraction", "log10 steps", series, markers));
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
}
