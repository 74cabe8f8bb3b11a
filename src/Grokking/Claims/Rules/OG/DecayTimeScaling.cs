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
/// (<see cref="LogLogFit"/>). The claim is typical (the paper derives 1/γ with "≈" and its appendix asks "to what extent
/// the relation holds"), so each fitted quantity is read through the fit's 95 % interval, a bootstrap over whole seeds
/// (<see cref="Thresholds.Fitted"/>): the slope against both edges of −1 ± <c>slopeTolerance</c>, R² against
/// <c>minRSquared</c>, the spread of the per-γ median train times (max / min) against <c>maxTrainSpread</c>.
/// INCONCLUSIVE when fewer than <c>minDecays</c> weight decays generalized in every seed within the budget (the others
/// are reported as never reaching the level). The negative control reads the train times as if they were the test
/// times: the paper says they do not depend on γ, so the rule must refute a 1/γ law in them.
/// </summary>
public sealed class DecayTimeScaling : ClaimAnalysis<DecayTimeScaling.Parameters>
{
    public const string Control = "train-times-as-test";

    public override string Name => "decay-time-scaling";

    public override SeedRule SeedRule => SeedRule.PooledFit;

    public override string? ControlName => Control;

    /// <summary>
    /// OG-3's rule: the accuracy level, the initialization and weight-decay range read (decays are fitted on a log
    /// scale, so they must be positive), the fit's bounds, and the paper's slope the fit is held against.
    /// </summary>
    public sealed record Parameters(
        [Within(0, 1)] double AccuracyLevel,
        [Within(double.Epsilon, double.MaxValue)] double InitScale,
        [Within(double.Epsilon, double.MaxValue)] double MinDecay,
        [Within(double.Epsilon, double.MaxValue)] double MaxDecay,
        [Within(0, double.MaxValue)] double SlopeTolerance,
        [Within(0, 1)] double MinRSquared,
        [Within(1, double.MaxValue)] double MaxTrainSpread,
        [Within(2, 1000)] int MinDecays,
        [FromPaper("slope")] double PaperSlope);

    /// <summary>The sweep at the claim's initialization: times per (weight decay, seed), the pooled fit and the train-time spread.</summary>
    private sealed record Sweep(
        IReadOnlyList<double> Decays,
        IReadOnlyList<long> Seeds,
        IReadOnlyDictionary<(double Wd, long Seed), AccuracyTimes> Times,
        IReadOnlyList<string> Diverged,
        IReadOnlyList<double> Complete,
        LogLogFit? Fit,
        IReadOnlyList<double> TrainMedians,
        double Spread,
        long Budget)
    {
        /// <summary>The decays some seed never generalized at within the budget (left out of the fit).</summary>
        public IReadOnlyList<double> Censored => [.. Decays.Except(Complete)];

        public IEnumerable<double> TestSteps(double wd) => Seeds.Select(s => Times[(wd, s)].TestStep);

        public IEnumerable<double> TrainSteps(double wd) => Seeds.Select(s => Times[(wd, s)].TrainStep);

        /// <summary>Seed s's fitted points (log10 γ, log10 t_test) over the decays every seed generalized at.</summary>
        public List<(double X, double Y)> LogPoints(long s) =>
            [.. Complete.Select(wd => (Math.Log10(wd), Math.Log10(Times[(wd, s)].TestStep)))];

        /// <summary>Max / min over the decays of the per-decay median train time of <paramref name="seeds"/> (a resample may repeat one).</summary>
        public double SpreadOf(IReadOnlyList<long> seeds)
        {
            var medians = Decays.Select(wd => MemberSeries.Median(seeds.Select(s => Times[(wd, s)].TrainStep))).ToList();
            return medians.All(double.IsFinite) && medians.Min() > 0 ? medians.Max() / medians.Min() : double.NaN;
        }
    }

    public override AnalysisResult Analyze(ClaimContext context, Parameters parameters) => Run(context, parameters, trainAsTest: false);

    /// <summary>The same rule on the train times in place of the test times (see the class summary).</summary>
    public override AnalysisResult AnalyzeControl(ClaimContext context, Parameters parameters) => Run(context, parameters, trainAsTest: true);

    private static AnalysisResult Run(ClaimContext context, Parameters parameters, bool trainAsTest)
    {
        var sweep = Measure(context, parameters, trainAsTest);
        var (verdict, reason, comparisons) = Judge(sweep, parameters);
        IReadOnlyList<ClaimFigure> figures = trainAsTest ? [] : [Figure(context, sweep, parameters.AccuracyLevel)];
        return new AnalysisResult(verdict, reason, Values(sweep, parameters), figures) { Comparisons = comparisons };
    }

    private static Sweep Measure(ClaimContext context, Parameters p, bool trainAsTest)
    {
        var members = context.Members
            .Where(m => Math.Abs(m.InitScale - p.InitScale) < 1e-12 && m.WeightDecay >= p.MinDecay - 1e-12 && m.WeightDecay <= p.MaxDecay + 1e-12)
            .ToList();
        var decays = members.Select(m => m.WeightDecay).Distinct().Order().ToList();
        var seeds = members.Select(m => m.Seed).Distinct().Order().ToList();
        var times = members.ToDictionary(m => (m.WeightDecay, m.Seed), m =>
        {
            var t = AccuracyTimes.Of(context.Result, m.Index, p.AccuracyLevel);
            return trainAsTest ? t with { TestStep = t.TrainStep } : t;
        });
        var diverged = members.Where(m => times[(m.WeightDecay, m.Seed)].Diverged).Select(m => $"seed {m.Seed} wd {m.WeightDecay:G3}").ToList();
        var complete = decays.Where(wd => seeds.All(s => double.IsFinite(times[(wd, s)].TestStep))).ToList();
        var points = complete.SelectMany(wd => seeds.Select(s => (X: wd, Y: times[(wd, s)].TestStep, Group: s))).ToList();
        var fit = complete.Count >= 2 ? LogLogFit.Fit(points) : null;
        var trainMedians = decays.Select(wd => MemberSeries.Median(seeds.Select(s => times[(wd, s)].TrainStep))).ToList();
        double spread = trainMedians.All(double.IsFinite) && trainMedians.Min() > 0 ? trainMedians.Max() / trainMedians.Min() : double.NaN;
        return new Sweep(decays, seeds, times, diverged, complete, fit, trainMedians, spread, context.Result.StepsCompleted);
    }

    private static (Verdict Verdict, string Reason, IReadOnlyList<Comparison> Comparisons) Judge(Sweep sweep, Parameters p)
    {
        var (seeds, complete, fit) = (sweep.Seeds, sweep.Complete, sweep.Fit);
        string notes = Notes(sweep, p.AccuracyLevel);
        if (seeds.Count < SeedVerdicts.MinimumSeeds)
        {
            return (Verdict.Inconclusive, $"only {seeds.Count} seed(s); at least {SeedVerdicts.MinimumSeeds} are required", []);
        }

        if (fit is null || complete.Count < p.MinDecays)
        {
            return (Verdict.Inconclusive, $"only {complete.Count} of {sweep.Decays.Count} weight decays generalized in every seed; "
                + $"at least {p.MinDecays} are needed for the fit{notes}", []);
        }

        var comparisons = Comparisons(sweep, fit, p);
        var (verdict, reason) = Thresholds.Combine(comparisons);
        string summary = $" — slope {fit.Slope:0.###}, R² {fit.RSquared:0.###}, {fit.Points} points over {complete.Count} weight decays; "
            + $"train-time spread {sweep.Spread:0.##}x (intervals: 95% bootstrap over whole seeds, {LogLogFit.Resamples} resamples){notes}";
        return (verdict, reason + summary, comparisons);
    }

    /// <summary>
    /// The four fitted comparisons, each with its 95 % bootstrap interval over whole seeds; the per-seed values beside
    /// them are each seed's own slope, R² and train-time spread.
    /// </summary>
    private static List<Comparison> Comparisons(Sweep sweep, LogLogFit fit, Parameters p)
    {
        var seeds = sweep.Seeds;
        var perSeedFits = seeds.Select(s => LogLogFit.Line(sweep.LogPoints(s))).ToList();
        var slopes = perSeedFits.Select(f => f.Slope).ToList();
        var r2 = SeedBootstrap.Interval(seeds, sample => LogLogFit.Line([.. sample.SelectMany(sweep.LogPoints)]).RSquared);
        var spread = SeedBootstrap.Interval(seeds, sweep.SpreadOf);
        var slope = (fit.Slope, fit.SlopeLow, fit.SlopeHigh);
        const string Name = "slope of log t_test against log weight decay";
        return
        [
            Thresholds.Fitted(new Quantity("slope-lower", Name), slope, seeds.Count, Relation.AtLeast, p.PaperSlope - p.SlopeTolerance, slopes),
            Thresholds.Fitted(new Quantity("slope-upper", Name), slope, seeds.Count, Relation.AtMost, p.PaperSlope + p.SlopeTolerance, slopes),
            Thresholds.Fitted(new Quantity("rSquared", "R² of the log-log fit"), (fit.RSquared, r2.Low, r2.High), seeds.Count,
                Relation.AtLeast, p.MinRSquared, [.. perSeedFits.Select(f => f.RSquared)]),
            Thresholds.Fitted(new Quantity("trainSpread", "spread of the median steps to train accuracy across weight decays", "x"),
                (sweep.Spread, spread.Low, spread.High), seeds.Count, Relation.AtMost, p.MaxTrainSpread, [.. seeds.Select(s => sweep.SpreadOf([s]))]),
        ];
    }

    /// <summary>The decays left out of the fit (never reached the level in some seed) and the diverged members, as reasons append them.</summary>
    private static string Notes(Sweep sweep, double level)
    {
        var censored = sweep.Censored;
        string censoredNote = censored.Count == 0 ? ""
            : $"; never reached {level:P0} test accuracy within {sweep.Budget} steps in some seed: wd "
                + string.Join(", ", censored.Select(w => w.ToString("G3", CultureInfo.InvariantCulture)));
        string divergedNote = sweep.Diverged.Count == 0 ? "" : $"; diverged: {string.Join(", ", sweep.Diverged)}";
        return censoredNote + divergedNote;
    }

    private static List<MeasuredValue> Values(Sweep sweep, Parameters p)
    {
        var fit = sweep.Fit;
        var measured = new List<MeasuredValue>
        {
            new("slope of log t_test against log weight decay (per seed: each seed's own fit)", fit?.Slope ?? double.NaN, "", p.PaperSlope,
                $"{p.PaperSlope} +- {p.SlopeTolerance}", [.. sweep.Seeds.Select(s => LogLogFit.Line(sweep.LogPoints(s)).Slope)], Key: "slope"),
            new("slope, bootstrap 2.5% (over seeds)", fit?.SlopeLow ?? double.NaN, "", null, null, Key: "slopeLow"),
            new("slope, bootstrap 97.5% (over seeds)", fit?.SlopeHigh ?? double.NaN, "", null, null, Key: "slopeHigh"),
            new("R² of the log-log fit", fit?.RSquared ?? double.NaN, "", null, $">= {p.MinRSquared}", Key: "rSquared"),
            new("spread of the median steps to train accuracy across weight decays (max / min)", sweep.Spread, "x", null,
                $"<= {p.MaxTrainSpread}", sweep.TrainMedians, Key: "trainSpread"),
        };
        foreach (double wd in sweep.Decays)
        {
            string tag = wd.ToString(CultureInfo.InvariantCulture);
            var test = sweep.TestSteps(wd).ToList();
            var train = sweep.TrainSteps(wd).ToList();
            measured.Add(new($"steps to {p.AccuracyLevel:P0} test accuracy, wd {wd:G3} (median over seeds, never counted as latest; NaN = never)",
                MemberSeries.MedianTime(test), "step", null, null, test, Key: $"tTest-wd{tag}"));
            measured.Add(new($"steps to {p.AccuracyLevel:P0} train accuracy, wd {wd:G3} (median over seeds)",
                MemberSeries.Median(train), "step", null, null, train, Key: $"tTrain-wd{tag}"));
        }

        return measured;
    }

    private static ClaimFigure Figure(ClaimContext context, Sweep sweep, double level)
    {
        var (decays, times, fit) = (sweep.Decays, sweep.Times, sweep.Fit);
        var series = new List<(string, double[], double[])>();
        foreach (long seed in sweep.Seeds)
        {
            var done = decays.Where(wd => double.IsFinite(times[(wd, seed)].TestStep)).ToArray();
            series.Add(($"t_test, seed {seed}", done.Select(Math.Log10).ToArray(),
                done.Select(wd => Math.Log10(times[(wd, seed)].TestStep)).ToArray()));
            var fitted = decays.Where(wd => double.IsFinite(times[(wd, seed)].TrainStep)).ToArray();
            series.Add(($"t_train, seed {seed}", fitted.Select(Math.Log10).ToArray(),
                fitted.Select(wd => Math.Log10(times[(wd, seed)].TrainStep)).ToArray()));
        }

        if (fit is not null && decays.Count > 1)
        {
            double[] x = [Math.Log10(decays[0]), Math.Log10(decays[^1])];
            series.Add(($"fit: slope {fit.Slope:0.00}", x, x.Select(v => fit.Intercept + (fit.Slope * v)).ToArray()));
        }

        string title = $"{context.Claim.Id}: steps to {level:P0} accuracy against weight decay (log-log)";
        return context.Plot("time-vs-decay", title, (dir, file) => LineChart.Write(dir, file, title, "log10 weight decay", "log10 steps", series));
    }
}
