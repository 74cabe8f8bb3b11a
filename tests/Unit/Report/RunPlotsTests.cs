using System.Text;
using Grokking.Plots;
using Grokking.Training;

namespace Grokking.Tests.Unit.Report;

public class RunPlotsTests
{
    private static readonly byte[] PngSignature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    [Fact]
    public void Writes_accuracy_loss_and_weight_norm_as_png_and_svg()
    {
        string directory = Path.Combine(Path.GetTempPath(), $"runplots-{Guid.NewGuid():N}");
        try
        {
            var written = RunPlots.Write(SyntheticResult(), directory);

            string[] expected = [.. new[] { "accuracy", "loss", "weight_norm" }
                .SelectMany(n => new[] { $"{n}.png", $"{n}.svg" })
                .Select(f => Path.Combine(directory, f))];
            written.Should().BeEquivalentTo(expected);
            Directory.GetFiles(directory).Should().BeEquivalentTo(expected, "no temporary files are left behind");
            foreach (string file in expected)
            {
                if (file.EndsWith(".png", StringComparison.Ordinal))
                {
                    File.ReadAllBytes(file).Take(PngSignature.Length).Should().Equal(PngSignature);
                }
                else
                {
                    File.ReadAllText(file, Encoding.UTF8).Should().Contain("<svg");
                }
            }
        }
        finally
        {
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }
        }
    }

    [Fact]
    public void Generic_writer_survives_zero_and_non_finite_values_on_a_log_axis_and_draws_markers()
    {
        string directory = Path.Combine(Path.GetTempPath(), $"runplots-{Guid.NewGuid():N}");
        try
        {
            var written = LineChart.Write(directory, "claim", "Claim", "x", "y",
                [("a", [1, 2, 3, 4], [1.0, 0.0, double.NaN, 1e-3]), ("a", [1, 2], [0.5, 0.1]), ("b", [2.5], [0.2])],
                markers: [(2.0, "event")],
                logY: true);

            written.Should().Equal(Path.Combine(directory, "claim.png"), Path.Combine(directory, "claim.svg"));
            File.ReadAllText(written[1], Encoding.UTF8).Should().Contain("<svg").And.Contain("event");
        }
        finally
        {
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }
        }
    }

    /// <summary>Member 0 memorises then generalises (grokking); member 1 reaches neither threshold.</summary>
    internal static TrainingResult SyntheticResult(int rowsPerMember = 20, long stepsPerEpoch = 10)
    {
        MemberSpec[] members = [new(0, 42, 1e-3, 1.0, 1.0), new(1, 43, 1e-3, 0.0, 8.0)];
        var metrics = new List<MetricRow>();
        foreach (var member in members)
        {
            for (int i = 0; i < rowsPerMember; i++)
            {
                long step = i * 50L;
                double epoch = (double)step / stepsPerEpoch;
                double train = member.Index == 0 ? Math.Min(1.0, 0.1 + (i * 0.15)) : 0.05 + (i * 0.02);
                double val = member.Index == 0 ? (i < 12 ? 0.02 : Math.Min(1.0, 0.02 + ((i - 12) * 0.2))) : 0.01;
                double trainLoss = member.Index == 0 ? 5.0 * Math.Exp(-i) : 4.0;
                double valLoss = member.Index == 0 ? 6.0 * Math.Exp(-i / 3.0) : 5.0;
                double norm = member.Index == 0 ? 40.0 - i : 60.0;
                metrics.Add(new MetricRow(step, epoch, member.Index, trainLoss, trainLoss, train, valLoss, valLoss, val, norm, 1e-3 / (norm * norm), 1.0, 1.0, null));
            }
        }

        return new TrainingResult
        {
            Members = members,
            Metrics = metrics,
            Events = [new MemberEvents(0, 300, 750, MemberEvents.Never), MemberEvents.None(1)],
            StepLosses = [[], []],
            StepsPerEpoch = stepsPerEpoch,
            StepsCompleted = (rowsPerMember - 1) * 50L,
            Interrupted = false,
        };
    }
}
