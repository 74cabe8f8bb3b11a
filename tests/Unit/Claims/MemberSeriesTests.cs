using Grokking.Claims.Analyses;

namespace Grokking.Tests.Unit.Claims;

public sealed class MemberSeriesTests
{
    [Fact]
    public void Summaries_over_seeds_skip_the_seeds_without_the_value()
    {
        double[] values = [2.2, double.NaN, 2.1, 3.0];

        MemberSeries.Min(values).Should().Be(2.1, "a diverged seed's NaN must not hide the others' minimum");
        MemberSeries.Max(values).Should().Be(3.0);
        MemberSeries.Median(values).Should().Be(2.2);
        MemberSeries.Median([1.0, double.NaN, 3.0, double.PositiveInfinity]).Should().Be(2.0);
    }

    [Fact]
    public void Summaries_are_nan_when_no_seed_has_the_value()
    {
        double[] none = [double.NaN, double.NaN];

        double.IsNaN(MemberSeries.Min(none)).Should().BeTrue();
        double.IsNaN(MemberSeries.Max([])).Should().BeTrue();
        double.IsNaN(MemberSeries.Median(none)).Should().BeTrue();
    }

    [Fact]
    public void The_median_time_counts_never_as_later_than_every_step()
    {
        double.IsNaN(MemberSeries.MedianTime([4280, double.NaN, double.NaN])).Should().BeTrue("two of three seeds never got there");
        MemberSeries.MedianTime([4280, 2000, double.NaN]).Should().Be(4280);
        double.IsNaN(MemberSeries.MedianTime([100, 300, double.NaN, double.NaN])).Should().BeTrue();
        MemberSeries.MedianTime([100, 300, 500, double.NaN]).Should().Be(400);
        double.IsNaN(MemberSeries.MedianTime([])).Should().BeTrue();
    }
}
