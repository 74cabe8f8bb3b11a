using Grokking.Training;

namespace Grokking.Cli;

/// <summary>A self-overwriting status line (step, rate, ETA, accuracies), at most four updates per second.</summary>
internal sealed class ProgressLine(bool quiet, TextWriter output) : IProgress<TrainingProgress>
{
    // A terminal gets a live line; a log file (CI) or a test's writer gets a line every 30 s, not thousands.
    private readonly bool live = ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected;
    private DateTime last = DateTime.MinValue;
    private bool written;

    public void Report(TrainingProgress p)
    {
        var now = DateTime.UtcNow;
        double interval = live ? 0.25 : 30;
        if (quiet || ((now - last).TotalSeconds < interval && p.Step < p.TotalSteps))
        {
            return;
        }

        last = now;
        string line = $"step {p.Step}/{p.TotalSteps} ({100.0 * p.Step / p.TotalSteps:0.0}%)  {p.StepsPerSecond:0.0} steps/s  "
            + $"ETA {p.Eta:hh\\:mm\\:ss}  train acc {p.MeanTrainAccuracy:P1}  val acc {p.MeanValAccuracy:P1}  done {p.MembersDone}";
        if (live)
        {
            output.Write("\r" + line.PadRight(Math.Max(0, Console.WindowWidth - 1)));
            written = true;
        }
        else
        {
            output.WriteLine(line);
        }
    }

    public void Finish()
    {
        if (written)
        {
            output.WriteLine();
            written = false;
        }
    }
}
