namespace Grokking.Runtime;

/// <summary>
/// A worker's place in a <see cref="CoreBudget"/> kept across several pieces of work: the claim suite's foreground takes it
/// for an analysis and keeps it while the next claim's runs are ready, and leaves it before it waits for a run a lane is
/// training (holding it then would take the core that lane needs). Used by one thread.
/// </summary>
public sealed class CoreSeat(CoreBudget budget) : IDisposable
{
    private IDisposable? held;

    public bool Held => held is not null;

    /// <summary>Holds the worker's tokens (waiting for them, holding nothing, when they are taken); nothing when already held.</summary>
    public void Take(CancellationToken cancel = default) => held ??= budget.Hold(cancel);

    /// <summary>Gives the tokens back; nothing when none are held.</summary>
    public void Leave()
    {
        held?.Dispose();
        held = null;
    }

    public void Dispose() => Leave();
}
