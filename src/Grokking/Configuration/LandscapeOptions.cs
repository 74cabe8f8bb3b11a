using System.ComponentModel.DataAnnotations;

namespace Grokking.Configuration;

/// <summary>
/// How paths between a run's weight vectors are evaluated and fitted (read by the landscape claims, never by
/// training: changing these re-evaluates paths from the cached run, it does not retrain).
/// </summary>
public sealed class LandscapeOptions
{
    /// <summary>Points of t on a single path (Garipov et al.'s code evaluates curves at 61).</summary>
    [Range(2, 10_000)]
    public int Points { get; set; } = 61;

    /// <summary>Points of t per segment of a chain through checkpoints (the joins are shared).</summary>
    [Range(2, 10_000)]
    public int PointsPerSegment { get; set; } = 21;

    /// <summary>
    /// Epochs of SGD on a fitted curve's bend (one t ~ U[0, 1] per minibatch and fit); 0 = as many epochs as the later
    /// end model trained (Garipov et al.'s convention).
    /// </summary>
    [Range(0, 1_000_000)]
    public int FitEpochs { get; set; }

    /// <summary>Learning rate of the fit; 0 = the run's own learning rate.</summary>
    [Range(0.0, 1000.0)]
    public double FitLearningRate { get; set; }

    /// <summary>
    /// Path points evaluated together in one population model; 0 = measured on the first path of a setup in the
    /// process (1, 2, 4, ... while the seconds per point fall; at most 16 on a CPU, where beyond a few members the
    /// population's activations leave the cache, 128 on a GPU). Speed only: a point's values are the same bits for
    /// every value.
    /// </summary>
    [Range(0, 100_000)]
    public int MaxMembers { get; set; }
}
