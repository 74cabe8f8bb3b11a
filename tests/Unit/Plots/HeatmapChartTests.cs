using System.Xml.Linq;
using Grokking.Plots;
using Grokking.Tests.Unit.Engine;
using SkiaSharp;

namespace Grokking.Tests.Unit.Plots;

public sealed class HeatmapChartTests
{
    // Values[i, j] at X[i], Y[j]: 3 alphas by 2 messiness values, one cell blank (NaN).
    private static readonly HeatmapPanel Panel = new("train loss", "alpha", "m", [0.5, 1, 2], [0, 1],
        new double[,] { { 0.1, 0.2 }, { 0.3, double.NaN }, { 0.5, 0.6 } });

    [Fact]
    public void The_drawn_matrix_has_the_largest_y_on_top_and_x_from_the_left()
    {
        var heatmap = HeatmapChart.Build(Panel).GetPlottables().OfType<ScottPlot.Plottables.Heatmap>().Single();

        // Row 0 of the drawn matrix is Y = 1 (the top), row 1 is Y = 0; column i is X[i].
        heatmap.Intensities[0, 0].Should().Be(0.2);
        heatmap.Intensities[0, 2].Should().Be(0.6);
        heatmap.Intensities[1, 0].Should().Be(0.1);
        heatmap.Intensities[1, 1].Should().Be(0.3);
        double.IsNaN(heatmap.Intensities[0, 1]).Should().BeTrue();
    }

    [Fact]
    public void A_grid_of_panels_is_written_as_a_png_of_the_grids_size_and_a_valid_svg()
    {
        string dir = EngineFixtures.TempDirectory();

        var paths = HeatmapChart.Write(dir, "landscape", "two landscapes", [Panel, Panel with { Title = "test loss" }]);

        paths.Select(Path.GetFileName).Should().Equal("landscape.png", "landscape.svg");
        using var png = SKBitmap.Decode(paths[0]);
        png.Width.Should().Be(2 * 560);
        png.Height.Should().Be(460 + 36);
        XDocument.Load(paths[1]).Root!.Name.LocalName.Should().Be("svg");
    }

    [Fact]
    public void Values_that_do_not_match_the_grid_or_no_panel_are_refused()
    {
        var wrong = () => HeatmapChart.Build(Panel with { Y = [0, 0.5, 1] });
        wrong.Should().Throw<ArgumentException>().WithMessage("*train loss*[3, 3]*");

        var none = () => HeatmapChart.Write(EngineFixtures.TempDirectory(), "x", "x", []);
        none.Should().Throw<ArgumentException>();
    }
}
