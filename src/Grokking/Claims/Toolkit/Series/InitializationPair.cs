using Grokking.Claims.Analyses;
using Grokking.Training;

namespace Grokking.Claims.Toolkit;

/// <summary>
/// The two initializations an Omnigrok grokking claim contrasts (a large alpha that groks, the standard one that does not)
/// and one reading per seed and initialization, each from the member's rows before any divergence.
/// </summary>
/// <param name="Large">The initialization that should grok (the paper's large alpha).</param>
/// <param name="Standard">The standard initialization, alpha = 1.</param>
public sealed record InitializationPair(double Large, double Standard)
{
    /// <summary>The pair in the claim's order, large first.</summary>
    public IReadOnlyList<double> Both => [Large, Standard];

    /// <summary>
    /// <paramref name="read"/> applied to each seed's member at each initialization: its rows before divergence and whether
    /// it diverged. A seed without a member at one of the two is a definition error (the experiment does not match the claim).
    /// </summary>
    public Dictionary<(double Alpha, long Seed), T> Read<T>(ClaimContext context, Func<MetricRow[], bool, T> read)
    {
        var readings = new Dictionary<(double Alpha, long Seed), T>();
        foreach (var group in context.Members.GroupBy(m => m.Seed).OrderBy(g => g.Key))
        {
            foreach (double alpha in Both)
            {
                var m = group.FirstOrDefault(x => Math.Abs(x.InitScale - alpha) < 1e-12)
                    ?? throw new InvalidOperationException($"{context.Claim.Id}: the run has no member with seed {group.Key} and alpha {alpha}");
                var rows = MemberSeries.RowsBeforeDivergence(context.Result, m.Index);
                readings[(alpha, group.Key)] = read(rows, context.Result.Events[m.Index].Diverged);
            }
        }

        return readings;
    }
}
