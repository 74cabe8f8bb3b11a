using System.Globalization;
using Grokking.Training;

namespace Grokking.Cli;

/// <summary>The bench's measurement table: one row per measurement, with its GFLOP/s as a percentage of its roofline.</summary>
internal sealed class BenchTable(TextWriter output)
{
    public void Header() =>
        output.WriteLine($"{"measurement",-34} {"steps/s",10} {"epochs/s",10} {"GFLOP/s",9} {"roofline",9} {"seconds",8} {"cpu s",8}");

    /// <param name="roofline">The matmul roofline of the row's population size, or null for a row without one.</param>
    public void Row(BenchmarkResult r, BenchmarkResult? roofline)
    {
        var inv = CultureInfo.InvariantCulture;
        string epochs = r.EpochsPerSecond > 0 ? r.EpochsPerSecond.ToString("0.00", inv) : "-";
        string gflops = r.GflopPerSecond > 0 ? r.GflopPerSecond.ToString("0.00", inv) : "-";
        string share = roofline is null ? "-" : RooflinePercent(r, roofline).ToString("0.0", inv) + "%";
        string cpu = r.CpuSeconds > 0 ? r.CpuSeconds.ToString("0.00", inv) : "-";
        output.WriteLine(string.Create(inv, $"{r.Name,-34} {r.StepsPerSecond,10:0.0} {epochs,10} {gflops,9} {share,9} {r.Seconds,8:0.00} {cpu,8}"));
    }

    /// <summary>Achieved GFLOP/s as a percentage of the roofline's.</summary>
    public static double RooflinePercent(BenchmarkResult achieved, BenchmarkResult roofline) =>
        roofline.GflopPerSecond > 0 ? 100 * achieved.GflopPerSecond / roofline.GflopPerSecond : 0;
}
