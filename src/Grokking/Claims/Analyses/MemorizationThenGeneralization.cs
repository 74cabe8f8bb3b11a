using Grokking.Training;

namespace Grokking.Claims.Analyses;

/// <summary>
/// MC-1: train accuracy reaches the threshold (point 1) while validation accuracy is still near chance, and
/// validation reaches it (point 2) much later. Per seed: point 1 and point 2 must both occur within the budget
/// (else undecided), validation accuracy at point 1 must not exceed <c>maxValAccuracyAtPoint1</c>, and
/// point 2 / point 1 must be at least <c>minDelayRatio</c>.
/// </summary>
public sealed class MemorizationThenGeneralization : IClaimAnalysis
{
    public string Name => "memorization-then-generalization";

    public IReadOnlyList<string> RequiredTolerances => ["maxValAccuracyAtPoint1", "minDelayRatio"];

    public AnalysisResult Analyze(ClaimContext context)
    {
        var claim = context.Claim;
        var result = context.Run.Result;
        double maxValAtPoint1 = claim.ToleranceOf("maxValAccuracyAtPoint1");
        double minRatio = claim.ToleranceOf("minDelayRatio");
        var findings = new List<SeedFinding>();
        var point1 = new List<double>();
        var point2 = new List<double>();
        var ratios = new List<double>();
        var valAtPoint1 = new List<double>();
        foreach (var m in context.Members)
        {
            var e = result.Events[m.Index];
            double p1 = e.ReachedTrain ? result.EpochOf(e.TrainThresholdStep) : double.NaN;
            double p2 = e.ReachedVal ? result.EpochOf(e.ValThresholdStep) : double.NaN;
            double val1 = e.ReachedTrain ? MemberSeries.At(result, m.Index, e.TrainThresholdStep).ValAccuracy : double.NaN;
            point1.Add(p1);
            point2.Add(p2);
            ratios.Add(p2 / p1);
            valAtPoint1.Add(val1);
            findings.Add(Judge(m.Seed, e, p1, p2, val1, maxValAtPoint1, minRatio, result.EpochOf(result.StepsCompleted)));
        }

        var (verdict, reason) = SeedVerdicts.Combine(findings);
        var paper1 = claim.Paper.FirstOrDefault(p => p.Name == "point 1")?.Value;
        var paper2 = claim.Paper.FirstOrDefault(p => p.Name == "point 2")?.Value;
        var measured = new List<MeasuredValue>
        {
            new("point 1 (first epoch with 100% train accuracy), median", MemberSeries.Median(point1), "epoch", paper1, PerSeed: point1),
            new("point 2 (first epoch with 100% validation accuracy), median", MemberSeries.Median(point2), "epoch", paper2, PerSeed: point2),
            new("delay point 2 / point 1, min over seeds", ratios.Count == 0 ? double.NaN : ratios.Min(), "x", paper1 is null || paper2 is null ? null : paper2 / paper1, $">= {minRatio}", ratios),
            new("validation accuracy at point 1, max over seeds", valAtPoint1.Count == 0 ? double.NaN : valAtPoint1.Max(), "", null, $"<= {maxValAtPoint1}", valAtPoint1),
        };
        var figure = MemberSeries.AccuracyFigure(context, "accuracy", $"{claim.Id}: train / validation accuracy per seed (dots: points 1 and 2)", context.Members, markEvents: true);
        return new AnalysisResult(verdict, reason, measured, [figure]);
    }

    private static SeedFinding Judge(long seed, MemberEvents e, double p1, double p2, double val1, double maxVal, double minRatio, double budgetEpochs)
    {
        if (e.Diverged)
        {
            return new(seed, Verdict.Inconclusive, $"diverged at step {e.DivergedStep}");
        }

        if (!e.ReachedTrain)
        {
            return new(seed, Verdict.Inconclusive, $"never reached 100% train accuracy within {budgetEpochs:0} epochs");
        }

        if (val1 > maxVal)
        {
            return new(seed, Verdict.Refuted, $"validation accuracy {val1:P1} at point 1 (epoch {p1:0}) is not near chance (> {maxVal:P0})");
        }

        if (!e.ReachedVal)
        {
            return new(seed, Verdict.Inconclusive, $"memorized at epoch {p1:0} but the budget of {budgetEpochs:0} epochs ended before 100% validation accuracy");
        }

        double ratio = p2 / p1;
        return ratio < minRatio
            ? new(seed, Verdict.Refuted, $"point 2 at epoch {p2:0} is only {ratio:0.0}x point 1 (epoch {p1:0}); required >= {minRatio}x")
            : new(seed, Verdict.Confirmed, $"point 1 epoch {p1:0} (val {val1:P1}), point 2 epoch {p2:0} ({ratio:0.0}x)");
    }
}
