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
public sealed class SpectralSignature : LegacyClaimAnalysis
{
    public override string Name => "spectral-signature";

    public override IReadOnlyList<string> RequiredTolerances => ["window", "minAbsRho", "alpha", "minMembers"];

    public override IReadOnlyList<string> RequiredPaperValues => [];

    public override AnalysisResult Analyze(ClaimContext context)
    {
        var claim = context.Claim;
        var result = context.Result;
        int window = (int)claim.ToleranceOf("window");
        double minAbsRho = claim.ToleranceOf("minAbsRho");
        double alpha = claim.ToleranceOf("alpha");
        int minMembers = (int)claim.ToleranceOf("minMembers");

        var usable = new List<MemberSignature>();
        var unusable = new List<string>();
        foreach (var m in context.Members)
        {
            if (Unusable(result, m, window) is { } why)
            {
                unusable.Add($"{Subject(m)} ({why})");
                continue;
            }

            var signature = HjorthParameters.Of(EarlyLossWindow.Of(Array.ConvertAll(result.StepLosses[m.Index], v => (double)v), window));
            if (!double.IsFinite(signature.Energy))
            {
                unusable.Add($"{Subject(m)} (a non-finite loss in the first {window} steps)");
                continue;
            }

            usable.Add(new MemberSignature(m, signature, MemberSeries.Rows(result, m.Index)[^1].ValAccuracy));
        }

        var accuracy = usable.Select(u => u.FinalAccuracy).ToList();
        var energy = SpearmanTest.Of(usable.Select(u => u.Signature.Energy).ToList(), accuracy);
        double mobilityRho = SpearmanTest.Of(usable.Select(u => u.Signature.Mobility).ToList(), accuracy).Rho;
        double complexityRho = SpearmanTest.Of(usable.Select(u => u.Signature.Complexity).ToList(), accuracy).Rho;

        string unusableNote = unusable.Count == 0 ? "" : $"; left out (no signature): {string.Join(", ", unusable)}";
        string measuredText = $"Spearman rho(early energy, final test accuracy) = {energy.Rho:+0.###;-0.###;0} over {energy.N} members, permutation p {energy.PValue:G3} ({energy.Permutations} shuffles); not decisive: rho of mobility {mobilityRho:0.###}, of complexity {complexityRho:0.###}";
        (Verdict, string) decision;
        if (usable.Count < minMembers)
        {
            decision = (Verdict.Inconclusive, $"only {usable.Count} of {context.Members.Count} members have an early-loss signature; at least {minMembers} are needed{unusableNote}");
        }
        else if (double.IsNaN(energy.Rho))
        {
            decision = (Verdict.Inconclusive, $"the final test accuracies or the energies of the {usable.Count} members are all equal: no order to correlate{unusableNote}");
        }
        else if (Math.Abs(energy.Rho) >= minAbsRho && energy.PValue <= alpha)
        {
            decision = (Verdict.Confirmed, $"{measuredText}: |rho| >= {minAbsRho} and p <= {alpha}{unusableNote}");
        }
        else
        {
            string failed = Math.Abs(energy.Rho) < minAbsRho ? $"|rho| < {minAbsRho}" : $"p > {alpha}";
            decision = (Verdict.Refuted, $"{measuredText}: {failed}{unusableNote}");
        }

        var measured = new List<MeasuredValue>
        {
            new($"Spearman rho of the energy of the first {window} train losses against the final test accuracy", energy.Rho, "", null, $"|rho| >= {minAbsRho}", Key: "rho"),
            new("permutation p-value of that rho (two-sided)", energy.PValue, "", null, $"<= {alpha}", Key: "pValue"),
            new("members with an early-loss signature", usable.Count, "", null, $">= {minMembers}", Key: "members"),
            new("Spearman rho of the Hjorth mobility against the final test accuracy (not decisive)", mobilityRho, "", null, null, Key: "rhoMobility"),
            new("Spearman rho of the Hjorth complexity against the final test accuracy (not decisive)", complexityRho, "", null, null, Key: "rhoComplexity"),
        };
        (string Name, string Key, Func<MemberSignature, double> Of)[] columns =
        [
            ($"energy of the first {window} train losses", "energy", u => u.Signature.Energy),
            ("Hjorth activity", "activity", u => u.Signature.Activity),
            ("Hjorth mobility", "mobility", u => u.Signature.Mobility),
            ("Hjorth complexity", "complexity", u => u.Signature.Complexity),
            ("final test accuracy", "finalAccuracy", u => u.FinalAccuracy),
        ];
        foreach (var group in usable.GroupBy(u => u.Member.TrainFraction).OrderBy(g => g.Key))
        {
            var seeds = group.OrderBy(u => u.Member.Seed).ToList();
            foreach (var (name, key, of) in columns)
            {
                var perSeed = seeds.Select(of).ToList();
                measured.Add(new($"{name}, {FractionText(group.Key)} (median over seeds)", MemberSeries.Median(perSeed), "", null, null, perSeed, Key: $"{key}-{FractionKey(group.Key)}"));
            }
        }

        return new AnalysisResult(decision.Item1, decision.Item2, measured, [Figure(context, usable, energy, window)]);
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

    private static ClaimFigure Figure(ClaimContext context, List<MemberSignature> usable, SpearmanTest energy, int window)
    {
        // One single-point series per member (drawn as a dot); a shared label gives a fraction one colour and legend entry.
        var series = usable.OrderBy(u => u.Member.TrainFraction)
            .Select(u => (FractionText(u.Member.TrainFraction), new[] { Math.Log10(u.Signature.Energy) }, new[] { u.FinalAccuracy }))
            .ToList();
        var (dir, file) = context.Figure("energy-vs-accuracy");
        string title = $"{context.Claim.Id}: final test accuracy against the energy of the first {window} train losses (Spearman rho {energy.Rho:0.00}, p {energy.PValue:G2})";
        return context.FigureOf(title, LineChart.Write(dir, file, title, $"log10 energy (sum of L² over steps 1-{window})", "final test accuracy", series));
    }

    private static string Subject(MemberSpec m) => $"seed {m.Seed}" + (double.IsNaN(m.TrainFraction) ? "" : " " + FractionText(m.TrainFraction));

    private static string FractionText(double fraction) => double.IsNaN(fraction) ? "all members" : $"r {fraction.ToString("G3", CultureInfo.InvariantCulture)}";

    private static string FractionKey(double fraction) => double.IsNaN(fraction) ? "all" : $"r{fraction.ToString("G3", CultureInfo.InvariantCulture)}";

    private sealed record MemberSignature(MemberSpec Member, HjorthParameters Signature, double FinalAccuracy);
}
