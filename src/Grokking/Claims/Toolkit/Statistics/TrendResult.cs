using Grokking.Claims.Analyses;

namespace Grokking.Claims.Toolkit;

/// <summary>
/// A monotone trend over an epoch range: the rank correlation says whether it moves one way, the medians of the
/// first and last fifth say by how much, robust to single outlying steps. Rho is NaN below 3 steps.
/// </summary>
public sealed record TrendResult(double Rho, double FirstFifthMedian, double LastFifthMedian, int Count);
