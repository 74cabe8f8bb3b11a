using Grokking.Claims.Analyses;
using Grokking.Claims.Contracts;
using Grokking.Claims.Toolkit;
using Grokking.Models;
using Grokking.Plots;
using Grokking.Training;
using static TorchSharp.torch;

namespace Grokking.Claims.Rules.OG;

/// <summary>
/// OG-4 (Omnigrok Fig. 7a): the weight norm (all parameters) rises during overfitting and falls below its initial
/// value when the model generalizes. Per seed: w₀ is the exact norm at initialization (the model is rebuilt from the
/// run's options and seeds); overfitting runs from the first step with train accuracy ≥ <c>accuracyLevel</c> to the
/// first with test accuracy ≥ <c>accuracyLevel</c>, and the generalization phase from there to the end of the run (the
/// paper: the norm "drops during the period of generalization to be lower than the initialization norm" — a phase,
/// not a step). Two comparisons over the seeds, judged by the claim's scope (<see cref="Thresholds.Judge"/>): the peak
/// over overfitting at least (1 + <c>minRise</c>) w₀, and the least norm in the generalization phase at most w₀. A
/// seed that never fits or never reaches <c>robustValAccuracy</c> test accuracy (generalization complete) within the
/// budget leaves the claim undecided. The whole path is reported, with the old reading (the norm at the first step with
/// test accuracy ≥ <c>robustValAccuracy</c>) beside. The negative control is the companion run with the norm held at
/// its initial value (<see cref="ConstrainedDegrokking.ConstrainedExperiment"/>, Fig. 7b): it generalizes without the
/// norm rising or falling, so the rule must refute it.
/// </summary>
public sealed class WeightNormPath : ClaimAnalysis<WeightNormPath.Parameters>
{
    public const string Control = "norm-held-constant";

    public override string Name => "weight-norm-path";

    public override SeedRule SeedRule => SeedRule.EverySeed;

    public override string? ControlName => Control;

    /// <summary>OG-4's rule: the level that marks fitting and generalizing, the level of complete generalization, and the least rise.</summary>
    public sealed record Parameters(
        [Within(0, 1)] double AccuracyLevel,
        [Within(0.5, 1)] double RobustValAccuracy,
        [Within(0, double.MaxValue)] double MinRise);

    public override AnalysisResult Analyze(ClaimContext context, Parameters parameters) => Run(context, parameters, figures: true);

    /// <summary>The same rule on the norm-held companion run (see the class summary).</summary>
    public override AnalysisResult AnalyzeControl(ClaimContext context, Parameters parameters) =>
        Run(context.Companion(ConstrainedDegrokking.ConstrainedExperiment), parameters, figures: false);

    private static AnalysisResult Run(ClaimContext context, Parameters parameters, bool figures)
    {
        var result = context.Result;
        var members = context.Members;
        var initial = InitialNorms(context, members);
        var paths = members
            .Select((m, i) => NormPath.Of(
                MemberSeries.RowsBeforeDivergence(result, m.Index), initial[i], parameters.AccuracyLevel, parameters.RobustValAccuracy))
            .ToList();
        var diverged = members.Select(m => result.Events[m.Index].Diverged).ToList();
        var (verdict, reason, comparisons) = JudgePaths(context.Claim.ScopeKind, [.. members.Select(m => m.Seed)], paths, diverged, parameters);
        IReadOnlyList<ClaimFigure> plots = figures
            ? [Figure(context, members, initial, paths, parameters.AccuracyLevel),
                MemberSeries.AccuracyFigure(context, "accuracy", $"{context.Claim.Id}: train and test accuracy", members)]
            : [];
        return new AnalysisResult(verdict, reason, Values(paths, parameters), plots) { Comparisons = comparisons };
    }

    /// <summary>
    /// The two comparisons over the seeds' paths, bounded by the events they need: a seed that never fits, diverges, or
    /// never completes generalization leaves the claim undecided (its phase never came). Public so that the rule can be
    /// pinned on synthetic paths without rebuilding a model for w0.
    /// </summary>
    public static (Verdict Verdict, string Reason, List<Comparison> Comparisons) JudgePaths(
        ClaimScope scope, IReadOnlyList<long> seeds, IReadOnlyList<NormPath> paths, IReadOnlyList<bool> diverged, Parameters p)
    {
        bool Complete(int i) => double.IsFinite(paths[i].FitStep) && double.IsFinite(paths[i].RobustStep) && !diverged[i];
        List<double> Of(Func<NormPath, double> pick) => [.. paths.Select((x, i) => Complete(i) ? pick(x) / x.Initial : double.NaN)];
        var comparisons = new List<Comparison>
        {
            Thresholds.Judge(scope, new Quantity("peak", "peak norm during overfitting / w0"), Of(x => x.Peak), Relation.AtLeast, 1 + p.MinRise),
            Thresholds.Judge(scope, new Quantity("phaseMin", "least norm in the generalization phase / w0"), Of(x => x.PhaseMinimum),
                Relation.AtMost, 1),
        };
        var (verdict, reason) = Thresholds.Combine(comparisons);
        var incomplete = Enumerable.Range(0, seeds.Count).Where(i => !Complete(i))
            .Select(i => $"seed {seeds[i]} "
                + (diverged[i] ? "diverged" : double.IsFinite(paths[i].FitStep) ? "never completed generalization" : "never fitted"))
            .ToList();
        verdict = SeedVerdicts.Worst([verdict, incomplete.Count > 0 ? Verdict.Inconclusive : Verdict.Confirmed]);
        string undecided = incomplete.Count == 0 ? "" : $"undecided seeds (within the budget): {string.Join(", ", incomplete)}; ";
        string path = string.Join("; ", seeds.Select((s, i) => $"seed {s}: {paths[i].Describe(p.MinRise)}"));
        return (verdict, $"{undecided}{reason} — {path}", comparisons);
    }

    private static List<MeasuredValue> Values(IReadOnlyList<NormPath> paths, Parameters p)
    {
        MeasuredValue Value(string name, string key, Func<NormPath, double> pick, string unit = "", string? tolerance = null)
        {
            var perSeed = paths.Select(pick).ToList();
            return new MeasuredValue(name + " (median over seeds)", MemberSeries.Median(perSeed), unit, null, tolerance, perSeed, Key: key);
        }

        double level = p.AccuracyLevel;
        return
        [
            Value("initial weight norm w0", "w0", x => x.Initial),
            Value("minimum norm before the fit, / w0", "minBeforeFit", x => x.MinBeforeFit / x.Initial),
            Value($"norm at {level:P0} train accuracy, / w0", "atFit", x => x.AtFit / x.Initial),
            Value("peak norm during overfitting, / w0", "peak", x => x.Peak / x.Initial, "", $">= {1 + p.MinRise}"),
            Value("step of the peak", "peakStep", x => x.PeakStep, "step"),
            Value($"norm at {level:P0} test accuracy, / w0", "atGeneralization", x => x.AtGeneralization / x.Initial),
            Value($"norm at {p.RobustValAccuracy:P0} test accuracy, / w0 (the old rule's reading, not decisive)", "atRobust",
                x => x.AtRobust / x.Initial),
            Value($"least norm in the generalization phase (from {level:P0} test accuracy to the end), / w0", "phaseMin",
                x => x.PhaseMinimum / x.Initial, "", "<= 1"),
            Value("first step from which the norm stays below w0", "belowFrom", x => x.BelowFromStep, "step"),
            Value("final norm, / w0", "final", x => x.Final / x.Initial),
            Value($"steps to {level:P0} train accuracy", "tTrain", x => x.FitStep, "step"),
            Value($"steps to {level:P0} test accuracy", "tTest", x => x.GeneralizationStep, "step"),
            Value($"steps to {p.RobustValAccuracy:P0} test accuracy", "tRobust", x => x.RobustStep, "step"),
        ];
    }

    /// <summary>Each member's norm over w0 against steps, with marks where it fits and where it generalizes.</summary>
    private static ClaimFigure Figure(
        ClaimContext context, IReadOnlyList<MemberSpec> members, double[] initial, List<NormPath> paths, double level)
    {
        var series = new List<(string, double[], double[])>();
        var markers = new List<(double, string)>();
        foreach (var (m, i) in members.Select((m, i) => (m, i)))
        {
            var rows = MemberSeries.Rows(context.Result, m.Index);
            series.Add(($"seed {m.Seed}", rows.Select(r => (double)r.Step).ToArray(), rows.Select(r => r.WeightNorm / initial[i]).ToArray()));
            if (double.IsFinite(paths[i].FitStep))
            {
                markers.Add((paths[i].FitStep, $"s{m.Seed} fit"));
            }

            if (double.IsFinite(paths[i].GeneralizationStep))
            {
                markers.Add((paths[i].GeneralizationStep, $"s{m.Seed} gen"));
            }
        }

        string title = $"{context.Claim.Id}: weight norm / initial norm (marks: {level:P0} train and test accuracy)";
        return context.Plot("norm-path", title, (dir, file) => LineChart.Write(dir, file, title, "step", "||theta|| / ||theta_0||", series, markers));
    }

    /// <summary>Each member's exact norm at initialization: its model rebuilt from the run's options and seed.</summary>
    private static double[] InitialNorms(ClaimContext context, IReadOnlyList<MemberSpec> members)
    {
        using var scope = NewDisposeScope();
        using var model = PopulationModelFactory.Create(members.Count, context.RunOptions.Model, context.RunOptions.Data, context.Device ?? CPU);
        model.Initialize([.. members.Select(m => m.Seed)], [.. members.Select(m => m.InitScale)]);
        return model.SquaredNorm().sqrt().to_type(ScalarType.Float64).cpu().data<double>().ToArray();
    }
}
