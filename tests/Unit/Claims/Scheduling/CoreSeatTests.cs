using Grokking.Claims;
using Grokking.Runtime;
using Grokking.Tests.Unit.Engine;
using TorchSharp;

namespace Grokking.Tests.Unit.Claims.Scheduling;

public class CoreSeatTests
{
    [Fact]
    public void The_foreground_gives_its_core_to_the_lane_whose_run_it_waits_for_instead_of_deadlocking()
    {
        var options = EngineFixtures.Small("Train:Steps=20");
        var budget = new CoreBudget(1, 1); // one core: whoever holds it is the only one computing
        var cache = new RunCache(EngineFixtures.TempDirectory()) { Budget = budget };
        using var seat = new CoreSeat(budget);
        CachedRun? waited = null;
        Exception? error = null;
        var foreground = new Thread(() =>
        {
            try
            {
                seat.Take(); // the foreground's core, from an analysis before
                var lane = new Thread(() => cache.TrainIfUnrequested("seat-run", options, torch.CPU)) { IsBackground = true };
                lane.Start();
                SpinWait.SpinUntil(() => budget.Waiting == 1, TimeSpan.FromSeconds(30)).Should().BeTrue("the lane waits for the core");

                waited = cache.GetOrTrain("seat-run", options, torch.CPU, beforeWaiting: seat.Leave);
                seat.Held.Should().BeFalse("it waited for the lane's run holding no core");
                seat.Take();
                seat.Held.Should().BeTrue();
            }
            catch (Exception e)
            {
                error = e;
            }
        });

        foreground.Start();

        foreground.Join(TimeSpan.FromSeconds(120)).Should().BeTrue("no deadlock: the lane got the core the foreground gave back");
        error.Should().BeNull();
        waited!.Result.StepsCompleted.Should().Be(20);
        waited.FromCache.Should().BeFalse("the lane trained it once; the foreground waited for that run");
    }

    [Fact]
    public void A_foreground_that_trains_a_run_itself_keeps_its_one_core()
    {
        var options = EngineFixtures.Small("Train:Steps=10");
        var budget = new CoreBudget(1, 1);
        var cache = new RunCache(EngineFixtures.TempDirectory()) { Budget = budget };
        using var seat = new CoreSeat(budget);
        seat.Take();

        // Nobody else asked for it: the foreground trains it on the core it holds (a second hold would wait forever).
        var run = cache.GetOrTrain("own-run", options, torch.CPU, beforeWaiting: seat.Leave);

        run.Result.StepsCompleted.Should().Be(10);
        seat.Held.Should().BeTrue();
        seat.Leave();
        seat.Held.Should().BeFalse();
        seat.Leave();
        budget.Waiting.Should().Be(0);
    }
}
