using Grokking.Runtime;

namespace Grokking.Tests.Unit.Runtime;

public class CoreBudgetTests
{
    /// <summary>Fake work that counts how many workers compute at once, the most it saw, and how often it ran.</summary>
    private sealed class BusyCounter
    {
        private int busy;
        private int most;
        private int done;

        public int Most => Volatile.Read(ref most);

        public int Done => Volatile.Read(ref done);

        public void Work(int threads)
        {
            int now = Interlocked.Add(ref busy, threads);
            int seen;
            while (now > (seen = Volatile.Read(ref most)) && Interlocked.CompareExchange(ref most, now, seen) != seen)
            {
            }

            Thread.Sleep(2);
            Interlocked.Add(ref busy, -threads);
            Interlocked.Increment(ref done);
        }
    }

    [Theory]
    [InlineData(2, 1, 6)]
    [InlineData(4, 2, 5)]
    [InlineData(3, 2, 4)]
    public void Busy_threads_never_outnumber_the_budget(int capacity, int perWorker, int workers)
    {
        var budget = new CoreBudget(capacity, perWorker);
        var counter = new BusyCounter();
        var threads = Enumerable.Range(0, workers).Select(_ => new Thread(() =>
        {
            for (int i = 0; i < 20; i++)
            {
                using (budget.Hold())
                {
                    counter.Work(budget.PerWorker);
                }
            }
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());

        counter.Done.Should().Be(workers * 20);
        counter.Most.Should().BeLessThanOrEqualTo(capacity).And.BeGreaterThanOrEqualTo(budget.PerWorker);
        budget.Workers.Should().Be(capacity / perWorker);
    }

    /// <summary>A piece of work on a thread of its own (a hold belongs to the thread that takes it), started at once.</summary>
    private sealed class OnThread
    {
        private readonly Thread thread;

        public OnThread(Func<IDisposable> work)
        {
            thread = new Thread(() =>
            {
                try
                {
                    Hold = work();
                }
                catch (Exception e)
                {
                    Error = e;
                }
            });
            thread.Start();
        }

        public IDisposable? Hold { get; private set; }

        public Exception? Error { get; private set; }

        /// <summary>Waits for the work to end (30 s at most: a hang fails the test instead of the run).</summary>
        public OnThread Ended()
        {
            thread.Join(TimeSpan.FromSeconds(30)).Should().BeTrue("the work ends");
            return this;
        }
    }

    [Fact]
    public void A_thread_that_holds_tokens_takes_none_more_so_nested_work_cannot_deadlock()
    {
        var budget = new CoreBudget(1, 1);
        using (budget.Hold())
        {
            using (budget.Hold())
            {
                // One token in all: a nested hold that waited for another would never return.
            }

            using var soon = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
            new OnThread(() => budget.Hold(soon.Token)).Ended().Error.Should().BeAssignableTo<OperationCanceledException>(
                "another thread finds the one token held");
        }

        budget.Waiting.Should().Be(0);
        var after = new OnThread(() => budget.Hold()).Ended();
        after.Hold.Should().NotBeNull("the outer hold released the token; the nested one held none");
        after.Hold!.Dispose();
    }

    [Fact]
    public void Cancelling_a_wait_holds_nothing_and_disposing_a_hold_releases_it()
    {
        var budget = new CoreBudget(1, 1);
        var hold = new OnThread(() => budget.Hold()).Ended().Hold!;
        using var cancel = new CancellationTokenSource();
        var blocked = new OnThread(() => budget.Hold(cancel.Token));
        SpinWait.SpinUntil(() => budget.Waiting == 1, TimeSpan.FromSeconds(30)).Should().BeTrue("no token is free");

        cancel.Cancel();

        blocked.Ended().Error.Should().BeAssignableTo<OperationCanceledException>();
        budget.Waiting.Should().Be(0);
        hold.Dispose();
        hold.Dispose(); // twice: released once
        var next = new OnThread(() => budget.Hold()).Ended();
        next.Hold.Should().NotBeNull("the token is back and the cancelled wait took none");
        using var soon = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        new OnThread(() => budget.Hold(soon.Token)).Ended().Error.Should().BeAssignableTo<OperationCanceledException>(
            "released once: the one token is held again");
        next.Hold!.Dispose();
    }

    [Fact]
    public void Tokens_are_granted_first_come_first_served()
    {
        var budget = new CoreBudget(1, 1);
        var order = new List<int>();
        var hold = new OnThread(() => budget.Hold()).Ended().Hold!;
        var waiters = new List<Thread>();
        for (int i = 0; i < 3; i++)
        {
            int me = i;
            var t = new Thread(() =>
            {
                using (budget.Hold())
                {
                    lock (order)
                    {
                        order.Add(me);
                    }
                }
            });
            t.Start();
            waiters.Add(t);
            SpinWait.SpinUntil(() => budget.Waiting == me + 1, TimeSpan.FromSeconds(30)).Should().BeTrue();
        }

        hold.Dispose();
        waiters.ForEach(t => t.Join());
        order.Should().Equal(0, 1, 2);
    }

    [Theory]
    [InlineData(0, 1, 2, 2, 2, 1)]
    [InlineData(0, 8, 2, 16, 16, 8)]
    [InlineData(3, 3, 2, 2, 6, 3)]
    [InlineData(0, 4, 1, 4, 4, 4)]
    public void The_suite_budget_is_every_core_or_threads_times_lanes(int configured, int torch, int lanes, int cores, int capacity, int perWorker)
    {
        var budget = CoreBudget.For(configured, torch, lanes, cores);

        budget.Capacity.Should().Be(capacity);
        budget.PerWorker.Should().Be(perWorker);
    }
}
