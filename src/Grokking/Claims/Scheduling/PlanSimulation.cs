namespace Grokking.Claims.Scheduling;

/// <summary>
/// The suite's schedule played out in time, as <see cref="BackgroundRuns"/>, <see cref="ClaimSuite"/> and the core budget
/// run it: each lane, between runs, asks for a core and takes the next run of the queue; the foreground takes its claims in
/// order, keeps its core while the next claim's runs are ready, gives it up while it waits for a run a lane trains, and
/// trains a run itself that no lane has started. Cores go to whoever asked first.
/// </summary>
internal sealed class PlanSimulation
{
    private const int Foreground = -1;

    private readonly IReadOnlyList<ScheduledClaim> claims;
    private readonly Queue<string> queue;
    private readonly Dictionary<string, double> seconds;
    private readonly HashSet<string> finished = new(StringComparer.Ordinal);
    private readonly HashSet<string> training = new(StringComparer.Ordinal);
    private readonly List<int> asking = [];
    private readonly (double Until, string Run, double Start)[] lanes;
    private readonly List<TimelineSpan> timeline = [];
    private double now;
    private int free;
    private int claim;
    private bool holds;
    private (double Until, string Work, string? Run, double Start)? work;
    private (string Work, string? Run, double Seconds)? wanted;

    public PlanSimulation(LanePlan plan, IReadOnlyList<ScheduledClaim> claims, int lanes, int workers)
    {
        this.claims = claims;
        queue = new Queue<string>(plan.Runs.Select(r => r.Experiment));
        seconds = plan.Runs.ToDictionary(r => r.Experiment, r => r.Seconds ?? 0, StringComparer.Ordinal);
        this.lanes = [.. Enumerable.Repeat((double.NaN, "", 0.0), lanes)];
        free = workers;
    }

    public IReadOnlyList<TimelineSpan> Timeline => timeline;

    /// <summary>Plays the schedule out; returns when the last work ends (seconds from the start).</summary>
    public double Run()
    {
        asking.AddRange(Enumerable.Range(0, lanes.Length));
        Grant(); // the lanes take their first runs before the foreground looks for its first claim's
        Advance();
        while (true)
        {
            Grant();
            double next = lanes.Select(l => l.Until).Append(work?.Until ?? double.NaN).Where(double.IsFinite).DefaultIfEmpty(double.NaN).Min();
            if (double.IsNaN(next))
            {
                return now;
            }

            now = next;
            FinishLanes();
            if (work is { } w && w.Until <= now)
            {
                Finish(w.Work, w.Run, w.Start, "foreground");
                claim += w.Run is null ? 1 : 0;
                work = null;
            }

            Advance();
        }
    }

    private void FinishLanes()
    {
        for (int lane = 0; lane < lanes.Length; lane++)
        {
            if (lanes[lane].Until <= now)
            {
                Finish($"train {lanes[lane].Run}", lanes[lane].Run, lanes[lane].Start, $"lane {lane + 1}");
                lanes[lane] = (double.NaN, "", 0);
                free++;
                if (queue.Count > 0)
                {
                    asking.Add(lane);
                }
            }
        }
    }

    private void Finish(string what, string? run, double start, string worker)
    {
        timeline.Add(new TimelineSpan(worker, what, start, now));
        if (run is not null)
        {
            finished.Add(run);
            training.Remove(run);
        }
    }

    /// <summary>The foreground's next step when it is neither working nor in line for a core.</summary>
    private void Advance()
    {
        if (work is not null || wanted is not null)
        {
            return;
        }

        if (claim == claims.Count)
        {
            Release();
            return;
        }

        var c = claims[claim];
        var pending = c.Runs.Where(r => !finished.Contains(r)).ToList();
        if (pending.Any(training.Contains))
        {
            Release(); // waits for a lane's run holding no core
            return;
        }

        string? queued = pending.FirstOrDefault(queue.Contains);
        wanted = queued is null ? ($"analyse {c.Id}", null, c.AnalysisSeconds) : ($"train {queued}", queued, seconds[queued]);
        if (queued is not null)
        {
            Dequeue(queued);
        }

        if (holds)
        {
            Start();
        }
        else
        {
            asking.Add(Foreground);
        }
    }

    private void Release()
    {
        if (holds)
        {
            holds = false;
            free++;
        }
    }

    private void Dequeue(string run)
    {
        var rest = queue.Where(r => r != run).ToList();
        queue.Clear();
        rest.ForEach(queue.Enqueue);
        training.Add(run);
    }

    private void Start()
    {
        var (what, run, cost) = wanted!.Value;
        work = (now + cost, what, run, now);
        wanted = null;
    }

    /// <summary>Cores to those asking, first come first served; a lane that finds the queue empty is done.</summary>
    private void Grant()
    {
        while (asking.Count > 0 && free > 0)
        {
            int who = asking[0];
            asking.RemoveAt(0);
            if (who == Foreground)
            {
                free--;
                holds = true;
                Start();
            }
            else if (queue.TryDequeue(out string? run))
            {
                free--;
                training.Add(run);
                lanes[who] = (now + seconds[run], run, now);
            }
        }
    }
}
