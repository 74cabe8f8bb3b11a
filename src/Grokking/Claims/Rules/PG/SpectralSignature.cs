using System.Globalization;
using Grokking.Claims.Analyses;
using Grokking.Claims.Contracts;
using Grokking.Claims.Toolkit;
using Grokking.Plots;
using Grokking.Training;

namespace Grokking.Claims.Rules.PG;

/// <summary>
/// PG-2 (Notsawo et al. 2023): the spectral energy of the early train-loss curve (the first <c>window</c> steps)
/// correlates with the final test accuracy across training fractions and seeds. Per member, the prediction side reads
/// only an <see cref="EarlyLossWindow"/> of its per-step train losses and turns it into <see cref="HjorthParameters"/>;
/// the energy Σ L² (what the paper's code accumulates) is the predictor, activity, mobility and complexity are
/// reported. The outcome is the validation accuracy of the member's last metric row.
/// <list type="bullet">
/// <item>A member that diverged, or whose run is shorter than the window, has no signature: it is named and left out.
/// INCONCLUSIVE when fewer than <c>minMembers</c> remain, or when the accuracies (or energies) are all equal, so that
/// no order can be correlated.</item>
/// <item>CONFIRMED when Spearman's |rho(energy, final accuracy)| ≥ <c>minAbsRho</c> and its permutation p ≤
/// <c>alpha</c>; REFUTED otherwise. The sign is reported, not decided on: the authors take either a positive or a
/// negative correlation as informative.</item>
/// </list>
/// </summary>
public sealed class SpectralSignature : ClaimAnalysis<SpectralSignature.Parameters>
{
    public override string Name => "spectral-signature";

    public override SeedRule SeedRule => SeedRule.PooledCorrelation;

    /// <summary>PG-2's rule: the early window and how strong and how unlikely by chance the correlation must be.</summary>
    /// <param name="Window">Early train-loss steps the signature reads (the least that gives Hjorth's complexity).</param>
    /// <param name="MinAbsRho">Least |Spearman rho| that counts as a strong correlation.</param>
    /// <param name="Alpha">Largest permutation p-value that counts as not by chance.</param>
    /// <param name="MinMembers">Least members with a signature; a rank correlation over fewer than 3 is ±1 whatever the data.</param>
    public sealed record Parameters(
        [Within(EarlyLossWindow.MinSteps, int.MaxValue)] int Window,
        [Within(0, 1)] double MinAbsRho,
        [Within(0, 1)] double Alpha,
        [Within(3, int.MaxValue)] int MinMembers);

    public override AnalysisResult Analyze(ClaimContext context, Parameters parameters)
    {
        var signatures = Measure(context, parameters.Window);
        var (verdict, reason) = Judge(signatures, parameters, context.Members.Count);
        var figure = Figure(context, signatures, parameters.Window);
        return new AnalysisResult(verdict, reason, Values(signatures, parameters), [figure]);
    }

    /// <summary>Every member's signature of its first <paramref name="window"/> train losses, or why it has none.</summary>
    private static Signatures Measure(ClaimContext context, int window)
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
        double RhoOf(Func<HjorthParameters, double> of) => SpearmanTest.Of(usable.Select(u => of(u.Signature)).ToList(), accuracy).Rho;
        var energy = SpearmanTest.Of(usable.Select(u => u.Signature.Energy).ToList(), accuracy);
        return new Signatures(usable, unusable, energy, RhoOf(h => h.Mobility), RhoOf(h => h.Complexity));
    }

    private static (Verdict, string) Judge(Signatures s, Parameters p, int members)
    {
        var energy = s.Energy;
        string unusableNote = s.Unusable.Count == 0 ? "" : $"; left out (no signature): {string.Join(", ", s.Unusable)}";
        string measuredText = $"Spearman rho(early energy, final test accuracy) = {energy.Rho:+0.###;-0.###;0} over {energy.N} members, "
            + $"permutation p {energy.PValue:G3} ({energy.Permutations} shuffles); "
            + $"not decisive: rho of mobility {s.MobilityRho:0.###}, of complexity {s.ComplexityRho:0.###}";
        if (s.Usable.Count < p.MinMembers)
        {
            return (Verdict.Inconclusive,
                $"only {s.Usable.Count} of {members} members have an early-loss signature; at least {p.MinMembers} are needed{unusableNote}");
        }

        if (double.IsNaN(energy.Rho))
        {
            return (Verdict.Inconclusive,
                $"the final test accuracies or the energies of the {s.Usable.Count} members are all equal: no order to correlate{unusableNote}");
        }

        if (Math.Abs(energy.Rho) >= p.MinAbsRho && energy.PValue <= p.Alpha)
        {
            return (Verdict.Confirmed, $"{measuredText}: |rho| >= {p.MinAbsRho} and p <= {p.Alpha}{unusableNote}");
        }

        string failed = Math.Abs(energy.Rho) < p.MinAbsRho ? $"|rho| < {p.MinAbsRho}" : $"p > {p.Alpha}";
        return (Verdict.Refuted, $"{measuredText}: {failed}{unusableNote}");
    }

    /// <summary>The decisive rho with its p-value, the reported ones, and each fraction's signatures (median over seeds).</summary>
    private static List<MeasuredValue> Values(Signatures s, Parameters p)
    {
        var measured = new List<MeasuredValue>
        {
            new($"Spearman rho of the energy of the first {p.Window} train losses against the final test accuracy",
                s.Energy.Rho, "", null, $"|rho| >= {p.MinAbsRho}", Key: "rho"),
            new("permutation p-value of that rho (two-sided)", s.Energy.PValue, "", null, $"<= {p.Alpha}", Key: "pValue"),
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
        List<MemberSignature> Usable, List<string> Unusable, SpearmanTest Energy, double MobilityRho, double ComplexityRho);
}
