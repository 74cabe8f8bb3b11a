using Grokking.Claims.Analyses;
using Grokking.Claims.Contracts;
using Grokking.Claims.Rules.OG;
using Grokking.Claims.Toolkit;
using Grokking.Configuration;
using Grokking.Training;
using static TorchSharp.torch;

namespace Grokking.Tests.Unit.Claims;

/// <summary>
/// Fig. 6e's contours as OG-15 reads them from the landscape companion: each size's training loss on the (m, w) grid (the
/// median over seeds of each member's last training loss) and its contour at a level, traced row by row.
/// </summary>
public sealed class TrainLossContourTests
{
    [Fact]
    public void A_row_crosses_the_level_where_the_loss_interpolated_linearly_in_w_first_falls_to_it()
    {
        double[] ws = [2.5, 3.0, 3.5, 4.0];
        var loss = new double[,] { { 0.1, 0.06, 0.01, 0.001 }, { 0.01, 0.005, 0.001, 0 }, { 0.5, 0.4, 0.3, 0.2 } };

        // Row 0: 0.06 at 3.0 and 0.01 at 3.5, so 0.02 lies 0.8 of the way: 3.0 + 0.5 x 0.04 / 0.05 = 3.4.
        TrainLossContour.Cross(ws, loss, 0, 0.02).Should().BeApproximately(3.4, 1e-12);
        TrainLossContour.Cross(ws, loss, 1, 0.02).Should().Be(2.5, "already below at the grid's left edge");
        TrainLossContour.Cross(ws, loss, 2, 0.02).Should().Be(double.NaN, "never below in the grid");
    }

    [Fact]
    public void The_landscape_is_read_per_size_as_the_median_over_seeds_with_its_crossing_at_the_smallest_m_and_its_slope()
    {
        // Loss(m, w) = 0.02 at w = 3 + 10 m for size 45 and w = 2.8 + 5 m for size 55, linear in w with slope -0.04 per unit w.
        double Loss(int size, double m, double w, long seed) => 0.02 - (0.04 * (w - (size == 45 ? 3 + (10 * m) : 2.8 + (5 * m)))) + (seed == 1 ? 0.5 : 0);
        double[] ms = [0, 0.05, 0.1];
        double[] ws = [2.5, 3.0, 3.5, 4.0];
        var members = new List<MemberSpec>();
        var rows = new List<MetricRow>();
        foreach (long seed in new long[] { 0, 1, 2 })
        {
            foreach (int size in new[] { 45, 55 })
            {
                foreach (var (m, w) in ms.SelectMany(m => ws.Select(w => (m, w))))
                {
                    var member = new MemberSpec(members.Count, seed, 0.01, 0, w, double.NaN, size, m);
                    members.Add(member);
                    rows.Add(new MetricRow(500, 500, member.Index, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, null));
                    rows.Add(new MetricRow(1000, 1000, member.Index, Loss(size, m, w, seed), 1, 1, 1, 1, 1, 1, 1, 1, 1, null));
                }
            }
        }

        var result = new TrainingResult
        {
            Members = members, Metrics = rows, Events = [.. members.Select(m => MemberEvents.None(m.Index))],
            StepLosses = [.. members.Select(_ => Array.Empty<float>())], StepsPerEpoch = 1, StepsCompleted = 1000, Interrupted = false,
        };
        var claim = new ClaimDefinition { Id = "OG-15", Seeds = [0, 1, 2], Members = new MemberFilter() };
        var landscape = new ClaimContext(claim, result, "dir", Profile.Ci, "report", null, CPU) { Experiment = ToyAdditionSizes.LandscapeExperiment };

        var contours = TrainLossContour.Read(landscape, 0.02);

        contours.Select(c => c.Size).Should().Equal(45, 55);
        contours[0].Crossing.Zip(new[] { 3.0, 3.5, 4.0 }).Should().OnlyContain(p => Math.Abs(p.First - p.Second) < 1e-9, "w = 3 + 10 m");
        contours[0].CrossingAtLinear.Should().BeApproximately(3.0, 1e-9, "seed 1's outlier loss is outvoted by the median");
        contours[0].Slope.Should().BeApproximately(10, 1e-9);
        contours[1].Slope.Should().BeApproximately(5, 1e-9);
        contours[1].CrossingAtLinear.Should().BeApproximately(2.8, 1e-9);
    }
}
