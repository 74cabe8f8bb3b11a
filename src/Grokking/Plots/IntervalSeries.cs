namespace Grokking.Plots;

/// <summary>
/// Points with an interval each, for an <see cref="IntervalChart"/>: an estimate at every x with its low and high end (a
/// non-finite end draws no bar; a non-finite estimate no point).
/// </summary>
public sealed record IntervalSeries(string Label, double[] X, double[] Y, double[] Low, double[] High)
{
    /// <summary>The same x, and an interval end for every point.</summary>
    public void Check()
    {
        if (Y.Length != X.Length || Low.Length != X.Length || High.Length != X.Length)
        {
            throw new ArgumentException(
                $"series '{Label}' has {X.Length} x values but {Y.Length} estimates, {Low.Length} low and {High.Length} high ends");
        }
    }
}
