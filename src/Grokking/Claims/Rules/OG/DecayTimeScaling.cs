using System.Globalization;
using Grokking.Claims.Analyses;
using Grokking.Claims.Contracts;
using Grokking.Claims.Toolkit;
using Grokking.Plots;

namespace Grokking.Claims.Rules.OG;

/// <summary>
/// OG-3 (Omnigrok Fig. 2c): with the large initialization (<c>initScale</c>), over weight decays in
/// [<c>minDecay</c>, <c>maxDecay</c>], the steps to <c>accuracyLevel</c> test accuracy scale as 1/γ and the steps to the
/// same train accuracy do not depend on γ. Fit: log10 t_test against log10 γ over every (γ, seed) that generalized
/// (<see cref="LogLogFit"/>, bootstrap over seeds). CONFIRMED when the slope lies within <c>slopeTolerance</c> of −1,
/// R² ≥ <c>minRSquared</c>, and the spread of the per-γ median train times (max / min) is at most
/// <c>maxTrainSpread</c>; REFUTED when one fails; INCONCLUSIVE when fewer than <c>minDecays</c> weight decays
/// generalized in every seed within the budget (the others are reported as never reaching the level).
/// </summary>
public sealed class DecayTimeScaling : LegacyClaimAnalysis
{
    public override string Name => "decay-time-scaling";

    public override IReadOnlyList<string> RequiredTolerances => ["accuracyLevel", "initScale", "minDecay", "maxDecay", "slopeTolerance", "minRSquared", "maxTrainSpread", "minDecays"];

    public override IReadOnlyList<string> RequiredPaperValues => ["slope"];

    public override AnalysisResult Analyze(ClaimContext context)
    {
        var claim = context.Claim;
        var result = context.Result;
        double level = claim.ToleranceOf("accuracyLevel");
        double alpha = claim.ToleranceOf("initScale");
        double minWd = claim.ToleranceOf("minDecay");
        double maxWd = claim.ToleranceOf("maxDecay");
        double slopeTolerance = claim.ToleranceOf("slopeTolerance");
        double minR2 = claim.ToleranceOf("minRSquared");
        double maxSpread = claim.ToleranceOf("maxTrainSpread");
        int minDecays = (int)claim.ToleranceOf("minDecays");
        double paperSlope = claim.PaperValueOf("slope");

        var members = context.Members
            .Where(m => Math.Abs(m.InitScale - alpha) < 1e-12 && m.WeightDecay >= minWd - 1e-12 && m.WeightDecay <= maxWd + 1e-12)
            .ToList();
        var decays = members.Select(m => m.WeightDecay).Distinct().Order().ToList();
        var seeds = members.Select(m => m.Seed).Distinct().Order().ToList();
        var times = members.ToDictionary(m => (m.WeightDecay, m.Seed), m => AccuracyTimes.Of(result, m.Index, level));

        var diverged = members.Where(m => times[(m.WeightDecay, m.Seed)].Diverged).Select(m => $"seed {m.Seed} wd {m.WeightDecay:G3}").ToList();
        var complete = decays.Where(wd => seeds.All(s => double.IsFinite(times[(wd, s)].TestStep))).ToList();
        var censored = decays.Except(complete).ToList();
        var points = complete.SelectMany(wd => seeds.Select(s => (X: wd, Y: times[(wd, s)].TestStep, Group: s))).ToList();
        var fit = complete.Count >= 2 ? LogLogFit.Fit(points) : null;

        var trainMedians = decays.Select(wd => MemberSeries.Median(seeds.Select(s => times[(wd, s)].TrainStep))).ToList();
        double spread = trainMedians.All(double.IsFinite) && trainMedians.Min() > 0 ? trainMedians.Max() / trainMedians.Min() : double.NaN;

        string censoredNote = censored.Count == 0 ? "" : $"; never reached {level:P0} test accuracy within {result.StepsCompleted} steps in some seed: wd {string.Join(", ", censored.Select(w => w.ToString("G3", CultureInfo.InvariantCulture)))}";
        string divergedNote = diverged.Count == 0 ? "" : $"; diverged: {string.Join(", ", diverged)}";
        (Verdict, string) decision;
        if (seeds.Count < SeedVerdicts.MinimumSeeds)
        {
            decision = (Verdict.Inconclusive, $"only {seeds.Count} seed(s); at least {SeedVerdicts.MinimumSeeds} are required");
        }
        else if (fit is null || complete.Count < minDecays)
        {
            decision = (Verdict.Inconclusive, $"only {complete.Count} of {decays.Count} weight decays generalized in every seed; at least {minDecays} are needed for the fit{censoredNote}{divergedNote}");
        }
        else
        {
            var failures = new List<string>();
            if (!(Math.Abs(fit.Slope - paperSlope) <= slopeTolerance))
            {
                failures.Add($"slope {fit.Slope:0.###} is outside {paperSlope} +- {slopeTolerance}");
            }

            if (!(fit.RSquared >= minR2))
            {
                failures.Add($"R² {fit.RSquared:0.###} < {minR2}");
            }

            if (!(spread <= maxSpread))
            {
                failures.Add($"train times spread {spread:0.##}x across weight decays (> {maxSpread}x)");
            }

            string summary = $"slope {fit.Slope:0.###} (95% bootstrap over seeds [{fit.SlopeLow:0.###}, {fit.SlopeHigh:0.###}]), R² {fit.RSquared:0.###}, {fit.Points} points over {complete.Count} weight decays; train-time spread {spread:0.##}x{censoredNote}{divergedNote}";
            decision = failures.Count == 0 ? (Verdict.Confirmed, summary) : (Verdict.Refuted, string.Join("; ", failures) + " — " + summary);
        }

        var measured = new List<MeasuredValue>
        {
            new("slope of log t_test against log weight decay", fit?.Slope ?? double.NaN, "", paperSlope, $"{paperSlope} +- {slopeTolerance}", Key: "slope"),
            new("slope, bootstrap 2.5% (over seeds)", fit?.SlopeLow ?? double.NaN, "", null, null, Key: "slopeLow"),
            new("slope, bootstrap 97.5% (over seeds)", fit?.SlopeHigh ?? double.NaN, "", null, null, Key: "slopeHigh"),
            new("R² of the log-log fit", fit?.RSquared ?? double.NaN, "", null, $">= {minR2}", Key: "rSquared"),
            new("spread of the median steps to train accuracy across weight decays (max / min)", spread, "x", null, $"<= {maxSpread}", trainMedians, Key: "trainSpread"),
        };
        foreach (double wd in decays)
        {
            string tag = wd.ToString(CultureInfo.InvariantCulture);
            measured.Add(new($"steps to {level:P0} test accuracy, wd {wd:G3} (median over seeds, never counted as latest; NaN = never)", MemberSeries.MedianTime(seeds.Select(s => times[(wd, s)].TestStep)), "step", null, null, seeds.Select(s => times[(wd, s)].TestStep).ToList(), Key: $"tTest-wd{tag}"));
            measured.Add(new($"steps to {level:P0} train accuracy, wd {wd:G3} (median over seeds)", MemberSeries.Median(seeds.Select(s => times[(wd, s)].TrainStep)), "step", null, null, seeds.Select(s => times[(wd, s)].TrainStep).ToList(), Key: $"tTrain-wd{tag}"));
        }

        return new AnalysisResult(decision.Item1, decision.Item2, measured, [Figure(context, decays, seeds, times, fit, level)]);
    }

    private static ClaimFigure Figure(ClaimContext context, List<double> decays, List<long> seeds, Dictionary<(double, long), AccuracyTimes> times, LogLogFit? fit, double level)
    {
        var series = new List<(string, double[], double[])>();
        foreach (long seed in seeds)
        {
            var done = decays.Where(wd => double.IsFinite(times[(wd, seed)].TestStep)).ToArray();
            series.Add(($"t_test, seed {seed}", done.Select(Math.Log10).ToArray(), done.Select(wd => Math.Log10(times[(wd, seed)].TestStep)).ToArray()));
            var fitted = decays.Where(wd => double.IsFinite(times[(wd, seed)].TrainStep)).ToArray();
            series.Add(($"t_train, seed {seed}", fitted.Select(Math.Log10).ToArray(), fitted.Select(wd => Math.Log10(times[(wd, seed)].TrainStep)).ToArray()));
        }

        if (fit is not null && decays.Count > 1)
        {
            double[] x = [Math.Log10(decays[0]), Math.Log10(decays[^1])];
            series.Add(($"fit: slope {fit.Slope:0.00}", x, x.Select(v => fit.Intercept + (fit.Slope * v)).ToArray()));
        }

        var (dir, file) = context.Figure("time-vs-decay");
        string title = $"{context.Claim.Id}: steps to {level:P0} accuracy against weight decay (log-log)";
        return context.FigureOf(title, LineChart.Write(dir, file, title, "log10 weight decay", "log10 steps", series));
    }
}
