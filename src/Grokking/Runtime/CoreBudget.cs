using System.Collections.Concurrent;

namespace Grokking.Runtime;

/// <summary>
/// The cores a process may keep busy, as tokens: a worker (a lane training a run, the foreground computing an analysis)
/// holds <see cref="PerWorker"/> of them — one per torch thread it runs — while it computes, and none while it waits, so
/// the busy threads never outnumber the cores. Tokens are granted first come, first served. A thread that already holds
/// tokens takes none more (it is one busy worker whatever it calls), so nested work cannot deadlock on its own tokens.
/// </summary>
public sealed class CoreBudget
{
    private readonly object sync = new();
    private readonly LinkedList<object> waiting = [];
    private readonly ConcurrentDictionary<int, int> depths = new();
    private int free;

    /// <param name="capacity">Tokens in all: the cores the process may use.</param>
    /// <param name="perWorker">Tokens one worker holds: its torch threads (at most <paramref name="capacity"/>).</param>
    public CoreBudget(int capacity, int perWorker)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(perWorker, 1);
        Capacity = capacity;
        PerWorker = Math.Min(perWorker, capacity);
        free = capacity;
    }

    /// <summary>A budget that never makes anyone wait: for callers outside a claim suite (tests, single runs).</summary>
    public static CoreBudget Unlimited { get; } = new(int.MaxValue, 1);

    public int Capacity { get; }

    public int PerWorker { get; }

    /// <summary>Workers waiting for tokens now (tests).</summary>
    internal int Waiting
    {
        get
        {
            lock (sync)
            {
                return waiting.Count;
            }
        }
    }

    /// <summary>How many workers can compute at once.</summary>
    public int Workers => Capacity / PerWorker;

    /// <summary>
    /// The budget of a claim suite: <c>Runtime:Threads</c> × lanes when threads are set, else every core of the process;
    /// each worker holds its torch threads.
    /// </summary>
    public static CoreBudget For(int configuredThreads, int torchThreads, int lanes, int cores) =>
        configuredThreads > 0
            ? new CoreBudget(configuredThreads * Math.Max(1, lanes), configuredThreads)
            : new CoreBudget(Math.Max(1, cores), Math.Max(1, torchThreads));

    /// <summary>Waits (holding nothing) until this worker's tokens are free, then holds them until the result is disposed.</summary>
    /// <exception cref="OperationCanceledException">Cancelled while waiting; nothing is held then.</exception>
    public IDisposable Hold(CancellationToken cancel = default)
    {
        int thread = Environment.CurrentManagedThreadId;
        if (depths.TryGetValue(thread, out int depth))
        {
            depths[thread] = depth + 1;
            return new Release(this, thread);
        }

        Acquire(cancel);
        depths[thread] = 1;
        return new Release(this, thread);
    }

    private void Acquire(CancellationToken cancel)
    {
        var ticket = new object();
        using var wake = cancel.Register(() =>
        {
            lock (sync)
            {
                Monitor.PulseAll(sync);
            }
        });
        lock (sync)
        {
            var node = waiting.AddLast(ticket);
            try
            {
                while (waiting.First != node || free < PerWorker)
                {
                    cancel.ThrowIfCancellationRequested();
                    Monitor.Wait(sync);
                }

                free -= PerWorker;
            }
            finally
            {
                // The next in line may now be first (granted or cancelled alike).
                waiting.Remove(node);
                Monitor.PulseAll(sync);
            }
        }
    }

    private void Leave(int thread)
    {
        int depth = depths[thread];
        if (depth > 1)
        {
            depths[thread] = depth - 1;
            return;
        }

        depths.TryRemove(thread, out _);
        lock (sync)
        {
            free += PerWorker;
            Monitor.PulseAll(sync);
        }
    }

    private sealed class Release(CoreBudget budget, int thread) : IDisposable
    {
        private int disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref disposed, 1) == 0)
            {
                budget.Leave(thread);
            }
        }
    }
}
