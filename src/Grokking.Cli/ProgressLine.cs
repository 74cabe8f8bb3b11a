using Grokking.Training;

namespace Grokking.Cli;

/// <summary>A single self-overwriting status line (step, rate, ETA, accuracies), at most a few updates per second.</summary>
internal sealed class ProgressLine(bool quiet) : IProgress<TrainingProgress>
{
    private DateTime last = DateTime.MinValue;
    private bool written;

    public void Report(TrainingProgress p)
    {
        var now = DateTime.UtcNow;
        if (quiet || ((now - last).TotalMilliseconds < 250 && p.Step < p.TotalSteps))
        {
            return;
        }

        last = now;
        string line = $"step {p.Step}/{p.TotalSteps} ({100.0 * p.Step / p.TotalSteps:0.0}%)  {p.StepsPerSecond:0.0} steps/s  ETA {p.Eta:hh\\:mm\\:ss}  train acc {p.MeanTrainAccuracy:P1}  val acc {p.MeanValAccuracy:P1}  done {p.MembersDone}";
        if (Console.IsOutputRedirected)
        {
            if ((now - last).TotalSeconds >= 0)
            {
                Console.WriteLine(line);
            }
        }
        else
        {
            Console.Write("\r" + line.PadRight(Math.Max(0, Console.WindowWidth - 1)));
        }

        written = true;
    }

    public void Finish()
    {
        if (written && !Console.IsOutputRedirected)
        {
            Console.WriteLine();
        }
    }
}
