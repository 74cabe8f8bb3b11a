using System.Globalization;
using Grokking.Claims.Analyses;
using Grokking.Claims.Contracts;
using Grokking.Claims.Toolkit;
using Grokking.Plots;
using Grokking.Training;

namespace Grokking.Claims.Rules.PG;

/// <summary>
/// PG-2 (Notsawo et al. 2023): the spectral energy of the early train-loss curve (the first <c>window</c> steps)
/// correlates with the final test accuracy. Per member, the prediction side reads only an <see cref="EarlyLossWindow"/>
/// of its per-step train losses and turns it into <see cref="HjorthParameters"/>; the energy Σ L² (what the paper's
/// code accumulates) is the predictor, activity, mobility and complexity are reported. The outcome is the validation
/// accuracy of the member's last metric row.
/// <para>
/// Both the energy and the final accuracy grow with the train fraction, so a correlation pooled over fractions can come
/// from the fraction alone; the slides show the relation per fraction (panels r = 0.4, 0.5, 0.7, 0.9). The decisive
/// correlation is therefore Spearman's rho within fractions (<see cref="StratifiedSpearman"/>), with its Fisher-z
/// interval at 1 − <c>alpha</c> (issue 25; the pooled rho, the old rule's, is reported).
/// </para>
/// <list type="bullet">
/// <item>A member that diverged, or whose run is shorter than the window, has no signature: it is named and left out.
/// INCONCLUSIVE when fewer than <c>minMembers</c> remain, or when no fraction's accuracies differ (nothing to predict).</item>
/// <item>|rho within fractions| ≥ <c>minAbsRho</c> is judged by the claim's scope (<see cref="Thresholds.Fitted"/>, PG-2
/// is typical): the interval above it CONFIRMED, below it REFUTED, straddling it INCONCLUSIVE within noise. The sign is
/// reported, not decided on: the authors take either a positive or a negative correlation as informative.</item>
/// </list>
/// The negative control (<see cref="AnalyzeControl"/>) gives every member its fraction's mean energy: a predictor that
/// carries the fraction and nothing of the member's own curve, which the rule must refute.
/// </summary>
public sealed class SpectralSignature : ClaimAnalysis<SpectralSignature.Parameters>
{
    public override string Name => "spectral-signature";

    public override SeedRule SeedRule => SeedRule.PooledCorrelation;

    public override string? ControlName => "fraction-only-predictor";

    /// <summary>PG-2's rule: the early window and how strong and how unlikely by chance the correlation must be.</summary>
    /// <param name="Window">Early train-loss steps the signature reads (the least that gives Hjorth's complexity).</param>
    /// <param name="MinAbsRho">Least |Spearman rho| that counts as a strong correlation.</param>
    /// <param name="Alpha">One minus the coverage of rho's interval (and the bound the reported permutation p is read against).</param>
    /// <param name="MinMembers">Least members with a signature; a rank correlation over fewer than 3 is ±1 whatever the data.</param>
    public sealed record Parameters(
        [Within(EarlyLossWindow.MinSteps, int.MaxValue)] int Window,
        [Within(0, 1)] double MinAbsRho,
        [Within(0, 1)] double Alpha,
        [Within(3, int.MaxValue)] int MinMembers);

    public override AnalysisResult Analyze(ClaimContext context, Parameters parameters)
    {
        var signatures = Measure(context, parameters.Window, u => u.Signature.Energy);
        var result = Decide(signatures, parameters, context.Members.Count, "early energy");
        var figure = Figure(context, signatures, parameters.Window);
        return result with { Figures = [figure] };
    }

    /// <summary>The control: each member's energy replaced by the mean energy of its fraction's members.</summary>
    public override AnalysisResult AnalyzeControl(ClaimContext context, Parameters parameters)
    {
        var usable = Measure(context, parameters.Window, u => u.Signature.Energy).Usable;
        var means = usable.GroupBy(u => u.Member.TrainFraction).ToDictionary(g => g.Key, g => g.Average(u => u.Signature.Energy));
        var signatures = Measure(context, parameters.Window, u => means[u.Member.TrainFraction]);
        return Decide(signatures, parameters, context.Members.Count, "fraction's mean energy (control)");
    }

    /// <summary>
    /// Every member's signature of its first <paramref name="window"/> train losses (or why it has none), and the
    /// correlations of <paramref name="predictor"/> with the final accuracy: within fractions (decisive) and pooled.
    /// </summary>
    private static Signatures Measure(ClaimContext context, int window, Func<MemberSignature, double> predictor)
    {
        var result = context.Result;
        var usable = new List<MemberSignature>();
        var unusable = new List<string>();
        foreach (var m in context.Members)
        {
            if (Unusable(result, m, window) is { } why)
            {
                unusable.Add($"{Subject(m)} ({why})");
                continue;
            }

            var losses = Array.ConvertAll(result.StepLosses[m.Index], v => (double)v);
            var signature = HjorthParameters.Of(EarlyLossWindow.Of(losses, window));
            if (!double.IsFinite(signature.Energy))
            {
                unusable.Add($"{Subject(m)} (a non-finite loss in the first {window} steps)");
                continue;
            }

            usable.Add(new MemberSignature(m, signature, MemberSeries.Rows(result, m.Index)[^1].ValAccuracy));
        }

        var accuracy = usable.Select(u => u.FinalAccuracy).ToList();
        List<double> x = [.. usable.Select(predictor)];
        double RhoOf(Func<HjorthParameters, double> of) => SpearmanTest.Of(usable.Select(u => of(u.Signature)).ToList(), accuracy).Rho;
        return new Signatures(usable, unusable, SpearmanTest.Of(x, accuracy), RhoOf(h => h.Mobility), RhoOf(h => h.Complexity))
        {
            Predictor = x,
        };
    }

    /// <summary>The rule on a predictor: enough members, then |rho within fractions| against minAbsRho by the scope.</summary>
    private static AnalysisResult Decide(Signatures s, Parameters p, int members, string what)
    {
        var within = StratifiedSpearman.Of(
            s.Predictor, [.. s.Usable.Select(u => u.FinalAccuracy)], [.. s.Usable.Select(u => u.Member.TrainFraction)], 1 - p.Alpha);
        s = s with { Within = within };
        string unusableNote = s.Unusable.Count == 0 ? "" : $"; left out (no signature): {string.Join(", ", s.Unusable)}";
        string pooled = $"reported: rho pooled over fractions (the old rule) {s.Energy.Rho:+0.###;-0.###;0}, permutation p {s.Energy.PValue:G3}; "
            + $"within fractions permutation p {within.PValue:G3}; rho of mobility {s.MobilityRho:0.###}, of complexity {s.ComplexityRho:0.###}";
        var values = Values(s, p);
        if (s.Usable.Count < p.MinMembers)
        {
            return new(Verdict.Inconclusive,
                $"only {s.Usable.Count} of {members} members have an early-loss signature; at least {p.MinMembers} are needed{unusableNote}",
                values, []);
        }

        if (double.IsNaN(within.Rho))
        {
            return new(Verdict.Inconclusive,
                $"no fraction's final test accuracies differ among its {s.Usable.Count} members: nothing to predict within a fraction{unusableNote}",
                values, []);
        }

        bool negative = within.Rho < 0;
        var fit = negative ? (-within.Rho, -within.High, -within.Low) : (within.Rho, within.Low, within.High);
        int seeds = s.Usable.Select(u => u.Member.Seed).Distinct().Count();
        var comparison = Thresholds.Fitted(
            new Quantity("rhoWithin", $"|Spearman rho| of the {what} against the final test accuracy within fractions"), fit, seeds,
            Relation.AtLeast, p.MinAbsRho, PerFraction(s));
        string reason = $"{comparison.Verdict.ToString().ToUpperInvariant()}: {comparison.Reason} (sign {(negative ? "-" : "+")}, "
            + $"{within.Members} members in {within.Strata} fractions whose accuracies differ, Fisher z at {within.EffectiveMembers}); "
            + $"{pooled}{unusableNote}";
        return new(comparison.Verdict, reason, values, []) { Comparisons = [comparison] };
    }

    /// <summary>The rank correlation within each fraction whose accuracies differ (the spread behind the pooled one).</summary>
    private static List<double> PerFraction(Signatures s) =>
    [
        .. s.Usable.Select((u, i) => (u, i)).GroupBy(t => t.u.Member.TrainFraction).OrderBy(g => g.Key)
            .Where(g => g.Count() >= 2 && g.Select(t => t.u.FinalAccuracy).Distinct().Count() > 1)
            .Select(g => Within([.. g.Select(t => s.Predictor[t.i])], [.. g.Select(t => t.u.FinalAccuracy)])),
    ];

    /// <summary>One fraction's rho; 0 when the predictor is constant there (it orders nothing), as in <see cref="StratifiedSpearman"/>.</summary>
    private static double Within(List<double> predictor, List<double> accuracy) =>
        predictor.Distinct().Count() == 1 ? 0 : SpearmanTest.RankCorrelation(predictor, accuracy);

    /// <summary>The decisive rho with its p-value, the reported ones, and each fraction's signatures (median over seeds).</summary>
    private static List<MeasuredValue> Values(Signatures s, Parameters p)
    {
        var within = s.Within;
        var measured = new List<MeasuredValue>
        {
            new($"Spearman rho of the energy of the first {p.Window} train losses against the final test accuracy within fractions "
                + "(decisive)", within?.Rho ?? double.NaN, "", null, $"|rho| >= {p.MinAbsRho} (interval)", PerFraction(s), Key: "rhoWithin"),
            new($"that rho, {1 - p.Alpha:P0} Fisher-z interval, low", within?.Low ?? double.NaN, "", null, null, Key: "rhoWithinLow"),
            new($"that rho, {1 - p.Alpha:P0} Fisher-z interval, high", within?.High ?? double.NaN, "", null, null, Key: "rhoWithinHigh"),
            new("permutation p-value of that rho (two-sided, shuffles within fractions)", within?.PValue ?? double.NaN, "", null,
                "reported", Key: "pValueWithin"),
            new("members in fractions whose final accuracies differ (the within-fraction rho's members)", within?.Members ?? 0, "", null,
                null, Key: "membersWithin"),
            new($"old rule (reported): Spearman rho of the energy of the first {p.Window} train losses against the final test accuracy, "
                + "pooled over fractions", s.Energy.Rho, "", null, "reported", Key: "rho"),
            new("old rule (reported): permutation p-value of the pooled rho (two-sided)", s.Energy.PValue, "", null, "reported", Key: "pValue"),
            new("members with an early-loss signature", s.Usable.Count, "", null, $">= {p.MinMembers}", Key: "members"),
            new("Spearman rho of the Hjorth mobility against the final test accuracy (not decisive)",
                s.MobilityRho, "", null, null, Key: "rhoMobility"),
            new("Spearman rho of the Hjorth complexity against the final test accuracy (not decisive)",
                s.ComplexityRho, "", null, null, Key: "rhoComplexity"),
        };
        (string Name, string Key, Func<MemberSignature, double> Of)[] columns =
        [
            ($"energy of the first {p.Window} train losses", "energy", u => u.Signature.Energy),
            ("Hjorth activity", "activity", u => u.Signature.Activity),
            ("Hjorth mobility", "mobility", u => u.Signature.Mobility),
            ("Hjorth complexity", "complexity", u => u.Signature.Complexity),
            ("final test accuracy", "finalAccuracy", u => u.FinalAccuracy),
        ];
        foreach (var group in s.Usable.GroupBy(u => u.Member.TrainFraction).OrderBy(g => g.Key))
        {
            var seeds = group.OrderBy(u => u.Member.Seed).ToList();
            foreach (var (name, key, of) in columns)
            {
                var perSeed = seeds.Select(of).ToList();
                measured.Add(new($"{name}, {FractionText(group.Key)} (median over seeds)", MemberSeries.Median(perSeed), "", null, null, perSeed,
                    Key: $"{key}-{FractionKey(group.Key)}"));
            }
        }

        return measured;
    }

    /// <summary>Why a member has no signature, or null when it has one.</summary>
    private static string? Unusable(TrainingResult result, MemberSpec m, int window)
    {
        var events = result.Events[m.Index];
        if (events.Diverged)
        {
            return $"diverged at step {events.DivergedStep}";
        }

        int steps = m.Index < result.StepLosses.Count ? result.StepLosses[m.Index].Length : 0;
        if (steps < window)
        {
            return $"ran {steps} steps, fewer than the {window}-step window";
        }

        return MemberSeries.Rows(result, m.Index).Length == 0 ? "no metric row" : null;
    }

    private static ClaimFigure Figure(ClaimContext context, Signatures s, int window)
    {
        // One single-point series per member (drawn as a dot); a shared label gives a fraction one colour and legend entry.
        var series = s.Usable.OrderBy(u => u.Member.TrainFraction)
            .Select(u => (FractionText(u.Member.TrainFraction), new[] { Math.Log10(u.Signature.Energy) }, new[] { u.FinalAccuracy }))
            .ToList();
        string title = $"{context.Claim.Id}: final test accuracy against the energy of the first {window} train losses "
            + $"(Spearman rho {s.Energy.Rho:0.00}, p {s.Energy.PValue:G2})";
        return context.Plot("energy-vs-accuracy", title,
            (dir, file) => LineChart.Write(dir, file, title, $"log10 energy (sum of L² over steps 1-{window})", "final test accuracy", series));
    }

    private static string Subject(MemberSpec m) => $"seed {m.Seed}" + (double.IsNaN(m.TrainFraction) ? "" : " " + FractionText(m.TrainFraction));

    private static string FractionText(double fraction) =>
        double.IsNaN(fraction) ? "all members" : $"r {fraction.ToString("G3", CultureInfo.InvariantCulture)}";

    private static string FractionKey(double fraction) =>
        double.IsNaN(fraction) ? "all" : $"r{fraction.ToString("G3", CultureInfo.InvariantCulture)}";

    private sealed record MemberSignature(MemberSpec Member, HjorthParameters Signature, double FinalAccuracy);

    /// <summary>
    /// The members with a signature, those without (named with why), and the rank correlations of energy (decisive),
    /// mobility and complexity (reported) with the final test accuracy.
    /// </summary>
    private sealed record Signatures(
        List<MemberSignature> Usable, List<string> Unusable, SpearmanTest Energy, double MobilityRho, double ComplexityRho)
    {
        /// <summary>The predictor of each usable member (its energy; the control's: its fraction's mean energy).</summary>
        public List<double> Predictor { get; init; } = [];

        /// <summary>The decisive correlation within fractions (set by the decision).</summary>
        public StratifiedSpearman? Within { get; init; }
    }
}
