using System.Globalization;
using Grokking.Claims.Analyses;
using Grokking.Claims.Contracts;
using Grokking.Claims.Toolkit;

namespace Grokking.Claims.Rules.PG;

/// <summary>
/// How long grokking takes in PG-8's setup, measured on the adaptive arm: each completed seed's t_4 / t_2 (first rows with
/// validation accuracy ≥ valLevel and train accuracy ≥ fitLevel), and the largest of them. Optimizers move on different
/// time scales, so an absence is judged in multiples of a run's own fitting time: the non-adaptive arm must run at least
/// this ratio times its t_2. Fewer than three completed seeds that grokked leave the claim undecided (the setup's
/// grokking time is unknown, so no budget can be shown long enough).
/// </summary>
/// <param name="Ratios">t_4 / t_2 per reference seed (NaN: never grokked, or diverged).</param>
internal sealed record BudgetReference(IReadOnlyList<double> Ratios, double Ratio, Verdict Verdict, string Reason)
{
    public static BudgetReference Of(ClaimContext reference, SlingshotAbsence.Parameters p)
    {
        var ratios = new List<double>();
        foreach (var m in reference.Members.OrderBy(m => m.Seed))
        {
            var rows = MemberSeries.RowsBeforeDivergence(reference.Result, m.Index);
            bool diverged = reference.Result.Events[m.Index].DivergedStep != Training.MemberEvents.Never;
            double fit = SlingshotOnset.GrokkingStep(rows, r => r.TrainAccuracy, p.FitLevel);
            double generalized = SlingshotOnset.GrokkingStep(rows, r => r.ValAccuracy, p.ValLevel);
            ratios.Add(diverged || !(fit > 0) ? double.NaN : generalized / fit);
        }

        var grokked = ratios.Where(double.IsFinite).ToList();
        string shown = string.Join(", ", ratios.Select(r => double.IsFinite(r) ? r.ToString("0.0", CultureInfo.InvariantCulture) : "none"));
        if (grokked.Count < SeedVerdicts.MinimumSeeds)
        {
            return new(ratios, double.NaN, Verdict.Inconclusive,
                $"only {grokked.Count} completed seed(s) of '{reference.Experiment}' grokked (t_4 / t_2: {shown}; "
                + $"{SeedVerdicts.MinimumSeeds} needed), so the setup's grokking time is unknown and no budget can be shown long enough");
        }

        double ratio = grokked.Max();
        return new(ratios, ratio, Verdict.Confirmed,
            $"'{reference.Experiment}' grokked at t_4 / t_2 = {shown}; a seed must run {ratio:0.0} x its own t_2");
    }
}
