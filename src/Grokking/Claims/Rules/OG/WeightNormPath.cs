using Grokking.Claims.Analyses;
using Grokking.Claims.Contracts;
using Grokking.Claims.Toolkit;
using Grokking.Models;
using Grokking.Plots;
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
public sealed class WeightNormPath : LegacyClaimAnalysis
{
    public override string Name => "weight-norm-path";

    public override IReadOnlyList<string> RequiredTolerances => ["accuracyLevel", "robustValAccuracy", "minRise"];

    public override IReadOnlyList<string> RequiredPaperValues => [];

    public override AnalysisResult Analyze(ClaimContext context)
    {
        var claim = context.Claim;
        var result = context.Result;
        double level = claim.ToleranceOf("accuracyLevel");
        double robust = claim.ToleranceOf("robustValAccuracy");
        double minRise = claim.ToleranceOf("minRise");
        var members = context.Members;
        var initial = InitialNorms(context, members);

        var paths = members.Select((m, i) => NormPath.Of(MemberSeries.RowsBeforeDivergence(result, m.Index), initial[i], level, robust)).ToList();
        var findings = members.Select((m, i) => paths[i].Finding(m.Seed, minRise, result.Events[m.Index].Diverged)).ToList();
        var (verdict, reason) = SeedVerdicts.Combine(findings);

        MeasuredValue Value(string name, string key, Func<NormPath, double> pick, string unit = "", string? tolerance = null)
        {
            var perSeed = paths.Select(pick).ToList();
            return new MeasuredValue(name + " (median over seeds)", MemberSeries.Median(perSeed), unit, null, tolerance, perSeed, Key: key);
        }

        var measured = new List<MeasuredValue>
        {
            Value("initial weight norm w0", "w0", p => p.Initial),
            Value("minimum norm before the fit, / w0", "minBeforeFit", p => p.MinBeforeFit / p.Initial),
            Value($"norm at {level:P0} train accuracy, / w0", "atFit", p => p.AtFit / p.Initial),
            Value("peak norm during overfitting, / w0", "peak", p => p.Peak / p.Initial, "", $">= {1 + minRise}"),
            Value("step of the peak", "peakStep", p => p.PeakStep, "step"),
            Value($"norm at {level:P0} test accuracy, / w0", "atGeneralization", p => p.AtGeneralization / p.Initial),
            Value($"norm at {robust:P0} test accuracy, / w0", "atRobust", p => p.AtRobust / p.Initial, "", "< 1"),
            Value("final norm, / w0", "final", p => p.Final / p.Initial),
            Value($"steps to {level:P0} train accuracy", "tTrain", p => p.FitStep, "step"),
            Value($"steps to {level:P0} test accuracy", "tTest", p => p.GeneralizationStep, "step"),
        };

        var series = new List<(string, double[], double[])>();
        var markers = new List<(double, string)>();
        foreach (var (m, i) in members.Select((m, i) => (m, i)))
        {
            var rows = MemberSeries.Rows(result, m.Index);
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

        var (dir, file) = context.Figure("norm-path");
        string title = $"{claim.Id}: weight norm / initial norm (marks: {level:P0} train and test accuracy)";
        var figure = context.FigureOf(title, LineChart.Write(dir, file, title, "step", "||theta|| / ||theta_0||", series, markers));
        var accuracy = MemberSeries.AccuracyFigure(context, "accuracy", $"{claim.Id}: train and test accuracy", members);
        return new AnalysisResult(verdict, reason, measured, [figure, accuracy]);
    }

    /// <summary>Each member's exact norm at initialization: its model rebuilt from the run's options and seed.</summary>
    private static double[] InitialNorms(ClaimContext context, IReadOnlyList<Training.MemberSpec> members)
    {
        using var scope = NewDisposeScope();
        using var model = PopulationModelFactory.Create(members.Count, context.RunOptions.Model, context.RunOptions.Data, context.Device ?? CPU);
        model.Initialize([.. members.Select(m => m.Seed)], [.. members.Select(m => m.InitScale)]);
        return model.SquaredNorm().sqrt().to_type(ScalarType.Float64).cpu().data<double>().ToArray();
    }
}
