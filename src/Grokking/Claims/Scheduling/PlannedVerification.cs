using Grokking.Claims.Contracts;
using Grokking.Runtime;

namespace Grokking.Claims.Scheduling;

/// <summary>
/// A suite's claims verified on one foreground thread in the suite's <see cref="ClaimSuite.PlanOrder"/>, while callers ask
/// for outcomes in any order (the claim tests, in catalog order): each caller waits for its claim's outcome, or gets the
/// exception its verification threw. The foreground keeps its core across claims as <see cref="ClaimSuite.VerifyAll"/> does.
/// </summary>
public sealed class PlannedVerification
{
    private readonly Dictionary<string, TaskCompletionSource<ClaimOutcome>> outcomes;
    private readonly Thread thread;

    /// <summary>Starts verifying the suite's selection (start its background runs first).</summary>
    public PlannedVerification(ClaimSuite suite, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(suite);
        var order = suite.PlanOrder();
        Order = [.. order.Select(c => c.Id)];
        outcomes = Order.ToDictionary(id => id, _ => new TaskCompletionSource<ClaimOutcome>(TaskCreationOptions.RunContinuationsAsynchronously));
        thread = new Thread(() => Verify(suite, cancel)) { IsBackground = true, Name = "grokking foreground" };
        thread.Start();
    }

    /// <summary>The order the claims are verified in.</summary>
    public IReadOnlyList<string> Order { get; }

    /// <summary>The claim's outcome once verified; its verification's exception when it threw one.</summary>
    /// <exception cref="ArgumentException">The claim is not in the suite's selection.</exception>
    public ClaimOutcome Outcome(string id) =>
        outcomes.TryGetValue(id, out var outcome)
            ? outcome.Task.GetAwaiter().GetResult()
            : throw new ArgumentException($"'{id}' is not among the claims verified here ({string.Join(", ", Order)})", nameof(id));

    /// <summary>Waits until every claim has its outcome or error.</summary>
    public void WaitAll() => thread.Join();

    private void Verify(ClaimSuite suite, CancellationToken cancel)
    {
        using var seat = new CoreSeat(suite.Budget);
        for (int i = 0; i < Order.Count; i++)
        {
            var outcome = outcomes[Order[i]];
            try
            {
                outcome.SetResult(suite.Verify(Order[i], index: i, count: Order.Count, seat: seat, cancel: cancel));
            }
            catch (Exception e)
            {
                // The caller that asks for this claim gets the exception; the other claims still run (as in VerifyAll).
                outcome.SetException(e);
            }
        }
    }
}
