using System.Text.Json.Serialization;
using Grokking.Claims.Analyses;
using Grokking.Landscape;

namespace Grokking.Claims.Toolkit;

/// <summary>
/// PG-6's numbers for one member (kept in the run's landscape cache): the snapshot step, the train loss the Hessian
/// was taken of (recomputed at the snapshot), and the Lanczos extremes of that Hessian.
/// </summary>
public sealed record HessianMeasurement(int Member, long Step, double TrainLoss, HessianExtremes Extremes)
{
    /// <summary>λmax: the largest eigenvalue.</summary>
    [JsonIgnore]
    public double LambdaMax => Extremes.LambdaMax;

    /// <summary>λmin as the paper's code computes it (the shifted operator, <see cref="HessianExtremes.LambdaMinShifted"/>), signed.</summary>
    [JsonIgnore]
    public double LambdaMin => Extremes.LambdaMinShifted;

    /// <summary>κ = λmax / |λmin|: a negative λmin (a saddle direction) counts by its magnitude.</summary>
    [JsonIgnore]
    public double Kappa => LambdaMax / Math.Abs(LambdaMin);
}
