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
/// first with test accuracy ≥ <c>accuracyLevel</c>; "rises" means the peak over that period is at least
/// (1 + <c>minRise</c>) w₀; "falls below its initial value when the model generalizes" is read at the first step with
/// test accuracy ≥ <c>robustValAccuracy</c> (generalization complete), where the norm must be below w₀. The whole
/// path is reported: the minimum before fitting (a first fall, if any), the peak and its step, and the final norm.
/// </summary>
public sealed class WeightNormPath : ClaimAnalysis<WeightNormPath.Parameters>
{
    public override string Name => "weight-norm-path";

    public override SeedRule SeedRule => SeedRule.EverySeed;

    /// <summary>OG-4's rule: the level that marks fitting and generalizing, the level of complete generalization, and the least rise.</summary>
    public sealed record Parameters(
        [Within(0, 1)] double AccuracyLevel,
        [Within(0.5, 1)] double RobustValAccuracy,
        [Within(0, double.MaxValue)] double MinRise);

    public override AnalysisResult Analyze(ClaimContext context, Parameters parameters)
    {
        var result = context.Result;
        var members = context.Members;
        var initial = InitialNorms(context, members);
        var paths = members
            .Select((m, i) => NormPath.Of(
                MemberSeries.RowsBeforeDivergence(result, m.Index), initial[i], parameters.AccuracyLevel, parameters.RobustValAccuracy))
            .ToList();
        var findings = members.Select((m, i) => paths[i].Finding(m.Seed, parameters.MinRise, result.Events[m.Index].Diverged)).ToList();
        var (verdict, reason) = SeedVerdicts.Combine(findings);
        var norm = Figure(context, members, initial, paths, parameters.AccuracyLevel);
        var accuracy = MemberSeries.AccuracyFigure(context, "accuracy", $"{context.Claim.Id}: train and test accuracy", members);
        return new AnalysisResult(verdict, reason, Values(paths, parameters), [norm, accuracy]);
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
            Value($"norm at {p.RobustValAccuracy:P0} test accuracy, / w0", "atRobust", x => x.AtRobust / x.Initial, "", "< 1"),
            Value("final norm, / w0", "final", x => x.Final / x.Initial),
            Value($"steps to {level:P0} train accuracy", "tTrain", x => x.FitStep, "step"),
            Value($"steps to {level:P0} test accuracy", "tTest", x => x.GeneralizationStep, "step"),
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
