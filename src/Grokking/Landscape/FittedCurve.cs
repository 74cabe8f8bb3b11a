namespace Grokking.Landscape;

/// <summary>
/// A fitted curve: the path (which does not own its ends), its bend (owned here), and the minibatch loss with the
/// L2 term of every fit step (how the objective E_t Loss(phi(t)) went down).
/// </summary>
public sealed class FittedCurve(WeightPath path, WeightVector bend, float[] stepLoss, int stepsPerEpoch) : IDisposable
{
    public WeightPath Path { get; } = path;

    public WeightVector Bend { get; } = bend;

    public IReadOnlyList<float> StepLoss { get; } = stepLoss;

    public int StepsPerEpoch { get; } = stepsPerEpoch;

    /// <summary>The objective averaged over each epoch of this fit's budget.</summary>
    public double[] LossPerEpoch() => StepLoss.Chunk(StepsPerEpoch).Select(e => e.Average(v => (double)v)).ToArray();

    public void Dispose() => Bend.Dispose();
}
