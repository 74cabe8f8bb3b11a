using Grokking.Claims;

namespace Grokking.Cli;

/// <summary>
/// One line per claim phase, and a self-overwriting training line (step, rate, ETA, accuracies). Background lanes
/// report from their own threads, hence the lock.
/// </summary>
internal sealed class ClaimProgressDisplay(bool quiet, TextWriter output) : IProgress<ClaimProgress>
{
    private readonly ProgressLine training = new(quiet, output);
    private readonly Lock gate = new();

    public void Report(ClaimProgress p)
    {
        if (quiet)
        {
            return;
        }

        lock (gate)
        {
            Show(p);
        }
    }

    private void Show(ClaimProgress p)
    {
        if (p.Training is { } t)
        {
            training.Report(t);
            return;
        }

        training.Finish();
        output.WriteLine($"[{p.Index + 1}/{p.Count}] {p.ClaimId}: {p.Phase}");
    }

    public void Finish()
    {
        lock (gate)
        {
            training.Finish();
        }
    }
}
