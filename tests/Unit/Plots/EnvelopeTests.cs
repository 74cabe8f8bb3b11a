using Grokking.Plots;

namespace Grokking.Tests.Unit.Plots;

public sealed class EnvelopeTests
{
    [Fact]
    public void Each_run_keeps_its_lowest_and_highest_sample_in_index_order()
    {
        // Two runs of five: [1, 5, 2, 3, 4] keeps 1 (index 0) then 5 (index 1); [0, 9, 9, 1, 2] keeps 0 (5) then the
        // first 9 (6). In a run whose highest sample comes first, that one is drawn first.
        double[] x = [.. Enumerable.Range(0, 10).Select(i => (double)i)];

        var (keptX, keptY) = Envelope.Of(x, [1, 5, 2, 3, 4, 0, 9, 9, 1, 2], maxPoints: 4);
        keptX.Should().Equal(0, 1, 5, 6);
        keptY.Should().Equal(1, 5, 0, 9);

        Envelope.Of(x, [7, 5, 2, 3, 4, 6, 6, 6, 6, 6], maxPoints: 4).Y.Should().Equal([7, 2, 6], "the first run falls from 7 to 2; the flat second keeps one point");
    }

    [Fact]
    public void A_one_sample_spike_survives_thinning()
    {
        double[] y = [.. Enumerable.Repeat(1.0, 100_000)];
        y[54_321] = 50;

        var (keptX, keptY) = Envelope.Of([.. Enumerable.Range(0, y.Length).Select(i => (double)i)], y, maxPoints: 1000);

        keptY.Length.Should().BeLessThanOrEqualTo(1000);
        keptY.Max().Should().Be(50);
        keptX[Array.IndexOf(keptY, 50.0)].Should().Be(54_321);
    }

    [Fact]
    public void Non_finite_samples_are_skipped_and_short_series_are_kept_as_given()
    {
        double n = double.NaN;

        Envelope.Of([0.0, 1, 2, 3], [n, n, 2, 1], maxPoints: 2).Y.Should().Equal([2, 1], "the only run holds two finite samples");
        Envelope.Of([0.0, 1, 2, 3], [n, n, n, n], maxPoints: 2).Y.Should().BeEmpty();
        Envelope.Of([0.0, 1], [n, 3], maxPoints: 2).Y.Should().HaveCount(2, "a series within the limit is returned as given");
        FluentActions.Invoking(() => Envelope.Of([0.0], [1.0, 2], 4)).Should().Throw<ArgumentException>();
    }
}
