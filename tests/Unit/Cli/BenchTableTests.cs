using Grokking.Cli;
using Grokking.Training;

namespace Grokking.Tests.Unit.Cli;

/// <summary>The bench's table: achieved GFLOP/s as a share of the roofline, and the rows without one.</summary>
[Collection(ProcessEnvironmentCollection.Name)]
public sealed class BenchTableTests
{
    [Fact]
    public void A_row_shows_its_gflops_as_a_percentage_of_its_roofline()
    {
        var train = new BenchmarkResult("train K=8", 8, 160, 16, 10, 1.25, 20, CpuSeconds: 15.5);
        var roofline = new BenchmarkResult("roofline K=8", 8, 100, 0.5, 200, 0, 80);
        using var output = new StringWriter();

        var table = new BenchTable(output);
        table.Row(train, roofline);
        table.Row(roofline, null);

        BenchTable.RooflinePercent(train, roofline).Should().Be(25);
        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines[0].Should().MatchRegex(@"^train K=8 +10\.0 +1\.25 +20\.00 +25\.0% +16\.00 +15\.50$");
        lines[1].Should().MatchRegex(@"^roofline K=8 +200\.0 +- +80\.00 +- +0\.50 +-$");
    }

    [Theory]
    [InlineData("64,,128")]
    [InlineData("0")]
    [InlineData("sixty")]
    public void Bench_widths_must_be_positive_integers(string value)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();

        int code = Program.Run(["bench", "--dmodels", value], stdout, stderr);

        code.Should().Be(2);
        stderr.ToString().Trim().Should().StartWith("error: Invalid value for '--dmodels': ").And.Contain("allowed: integers >= 1");
    }
}
