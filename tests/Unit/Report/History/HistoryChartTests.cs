using Grokking.Claims.Contracts;
using Grokking.Report;
using SkiaSharp;
using static Grokking.Tests.Unit.Report.History.HistoryFixtures;

namespace Grokking.Tests.Unit.Report.History;

/// <summary>A claim's history figure: a verdict panel and a panel per comparison, written as PNG and SVG.</summary>
public sealed class HistoryChartTests : IDisposable
{
    private readonly string dir = TempDirectory();

    public void Dispose() => Directory.Delete(dir, recursive: true);

    [Fact]
    public void A_claim_with_two_comparisons_is_three_panels_in_one_row()
    {
        HistoryEntry At(long id, string device, double x) =>
            Entry("aaaa", Claim("A-1", Verdict.Confirmed, Comparison("x", x, x - 0.1, x + 0.1), Comparison("y", 2, 1, 3))) with
        {
            Run = new HistoryRun(id, DateTimeOffset.UnixEpoch, "test", Environment("aaaa", device)),
        };
        var entries = new[] { At(1, "cpu", 0.4), At(2, "cuda", 0.6), At(3, "cpu", double.NaN), Entry("bbbb", Claim("B-1", Verdict.Refuted)) };

        var files = HistoryChart.Write(dir, "A-1", entries);

        files.Select(Path.GetFileName).Should().Equal("A-1.png", "A-1.svg");
        using var png = SKBitmap.Decode(files[0]);
        (png.Width, png.Height).Should().Be((3 * 520, 380 + 36), "three panels of 520 x 380 under a 36-pixel title");
        File.ReadAllText(files[1]).Should().Contain("A-1: A-1 title — 3 entries at profile ci").And.Contain("threshold");
    }

    [Fact]
    public void Claim_ids_from_foreign_files_cannot_name_a_folder() =>
        HistoryChart.FileName("../etc/x y").Should().Be("___etc_x_y");

    [Fact]
    public void Titles_wrap_at_word_boundaries() =>
        HistoryChart.Wrapped("validation accuracy at point 1 <= 0.1", 20).Should().Be("validation accuracy\nat point 1 <= 0.1");

    [Fact]
    public void A_claim_no_entry_holds_is_refused() =>
        FluentActions.Invoking(() => HistoryChart.Write(dir, "Z-9", [Entry("aaaa", Claim("A-1", Verdict.Confirmed))]))
            .Should().Throw<ArgumentException>().WithMessage("no entry holds claim Z-9*");
}
