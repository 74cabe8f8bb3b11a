using System.Globalization;
using Grokking.Claims.Analyses;
using Grokking.Claims.Contracts;
using Grokking.Claims.Toolkit;
using Grokking.Plots;

namespace Grokking.Claims.Rules.OG;

/// <summary>
/// OG-15 (Omnigrok section 5.1, Fig. 6e): on toy addition with a learned representation, the training sizes at and above
/// <c>criticalSize</c> (45 and 55) reach the generalizing solution, a larger one sooner (t55 &lt; t45), and the sizes
/// below it (25 and 35) never do. Read from a full trajectory (representation and decoder trained; the claim's
/// experiment, a Population:TrainSamples sweep) per seed, with the generalizing solution reached when the
/// representation's quality index exceeds <c>rqiLevel</c> (<see cref="ToyTrajectory"/>):
/// <list type="bullet">
/// <item>an event precondition per seed: every size from criticalSize up reaches it within the budget (the paper's
/// "eventually": a finite run that has not reached it leaves the seed undecided, never refuted);</item>
/// <item>sooner with more data, typical (the 95 % interval of the seed mean): per seed the largest log10 ratio of the
/// times of consecutive generalizing sizes (larger over smaller) is below 0;</item>
/// <item>never below criticalSize, universal (one member past the threshold by more than the resolution refutes): the
/// best RQI over the run stays at most rqiLevel (resolution one parallelogram), and at least one held-out pair stays
/// misclassified at every metric row (generalization read on the pairs it never trained on); an absence confirms only
/// when those members ran at least absenceFactor times the slowest critical-size time.</item>
/// </list>
/// The landscape companion (<see cref="LandscapeExperiment"/>, the decoder trained at fixed (m, w)) gives Fig. 6e's
/// contours of the training loss at <c>contourLevel</c>, drawn and reported per size, never judged. The control reads
/// the sizes swapped (25 as 55, 35 as 45 and back): then sizes that generalize sit below the critical size and the
/// "never" comparisons must refute.
/// </summary>
public sealed class ToyAdditionSizes : ClaimAnalysis<ToyAdditionSizes.Parameters>
{
    public const string LandscapeExperiment = "og-toy-landscape";

    public const string Control = "sizes-swapped";

    public override string Name => "toy-addition-sizes";

    public override SeedRule SeedRule => SeedRule.EverySeed;

    public override string? ControlName => Control;

    /// <summary>OG-15's rule: the RQI that marks the generalizing solution, the critical size, the absence budget, the contour.</summary>
    public sealed record Parameters(
        [Within(0, 1)] double RqiLevel,
        [Within(1, 100_000)] double CriticalSize,
        [Within(1, 1000)] double AbsenceFactor,
        [Within(0, double.MaxValue)] double ContourLevel);

    public override AnalysisResult Analyze(ClaimContext context, Parameters parameters) => Run(context, parameters, swapped: false);

    /// <summary>The same rule with the sizes swapped end for end (the smallest read as the largest, and so on).</summary>
    public override AnalysisResult AnalyzeControl(ClaimContext context, Parameters parameters) => Run(context, parameters, swapped: true);

    private static AnalysisResult Run(ClaimContext context, Parameters p, bool swapped)
    {
        var members = Trajectories(context, p, swapped);
        var judged = ToyAdditionJudgement.Judge(members, p, context.RunOptions.Data.Modulus);
        var values = ToyAdditionJudgement.Values(members, p);
        var figures = new List<ClaimFigure>();
        if (!swapped)
        {
            figures.Add(QualityFigure(context, members, p));
            if (context.Companions.ContainsKey(LandscapeExperiment))
            {
                var contours = TrainLossContour.Read(context.Companion(LandscapeExperiment), p.ContourLevel);
                values.AddRange(ContourValues(contours, p));
                if (contours.Any(c => c.Crossing.Any(double.IsFinite)))
                {
                    figures.Add(ContourFigure(context, contours, p));
                }
            }
        }

        return new AnalysisResult(judged.Verdict, judged.Reason, values, figures) { Comparisons = judged.Comparisons };
    }

    /// <summary>Every member's trajectory; swapped, each size n is read as (smallest + largest) - n.</summary>
    private static List<ToyTrajectory> Trajectories(ClaimContext context, Parameters p, bool swapped)
    {
        var members = context.Members;
        if (members.Any(m => m.TrainSamples == 0))
        {
            throw new InvalidOperationException($"{context.Claim.Id}: the analysis reads a Population:TrainSamples sweep");
        }

        int digits = context.RunOptions.Data.Modulus;
        int pairs = Configuration.DataOptions.ToyAdditionPairs(digits);
        int mirror = members.Min(m => m.TrainSamples) + members.Max(m => m.TrainSamples);
        return [.. members.Select(m => ToyTrajectory.Of(context.Result, m, digits, pairs, p.RqiLevel))
            .Select(t => swapped ? t with { Size = mirror - t.Size } : t)
            .OrderBy(t => t.Seed).ThenBy(t => t.Size)];
    }

    private static IEnumerable<MeasuredValue> ContourValues(IReadOnlyList<TrainLossContour> contours, Parameters p)
    {
        foreach (var c in contours)
        {
            string n = c.Size.ToString(CultureInfo.InvariantCulture);
            yield return new($"landscape: w where the training loss falls to {p.ContourLevel} at the smallest m, size {n} (NaN: not in the grid)",
                c.CrossingAtLinear, "x w0", null, "measured only", null, Key: $"contourW-n{n}");
            yield return new($"landscape: slope dw/dm of the training-loss = {p.ContourLevel} contour, size {n} (the paper's theta, as a number)",
                c.Slope, "", null, "measured only", null, Key: $"contourSlope-n{n}");
        }
    }

    private static ClaimFigure QualityFigure(ClaimContext context, List<ToyTrajectory> members, Parameters p)
    {
        var series = members.Select(t => ($"N = {t.Size}", t.Quality.Select(q => (double)q.Step).ToArray(), t.Quality.Select(q => q.Rqi).ToArray()))
            .ToList();
        string title = $"{context.Claim.Id}: RQI against steps per training-set size (seeds dashed; level {p.RqiLevel})";
        return context.Plot("rqi", title, (dir, file) => LineChart.Write(dir, file, title, "step", "RQI", series));
    }

    private static ClaimFigure ContourFigure(ClaimContext context, IReadOnlyList<TrainLossContour> contours, Parameters p)
    {
        var series = contours.Select(c =>
        {
            var rows = c.Messiness.Zip(c.Crossing).Where(x => double.IsFinite(x.Second)).ToList();
            return ($"N = {c.Size}", rows.Select(x => x.Second).ToArray(), rows.Select(x => x.First).ToArray());
        }).Where(s => s.Item2.Length > 0).ToList();
        string title = $"{context.Claim.Id}: training loss = {p.ContourLevel} contours on the (w, m) plane per training-set size (Fig. 6e)";
        return context.Plot("contours", title, (dir, file) =>
            LineChart.Write(dir, file, title, "decoder weight norm w (x w0)", "representation messiness m", series));
    }
}
