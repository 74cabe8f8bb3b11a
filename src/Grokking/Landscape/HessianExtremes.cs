namespace Grokking.Landscape;

/// <summary>
/// The extreme eigenvalue estimates of one member's train-loss Hessian (claim PG-6), from one Lanczos run.
/// <para>
/// Two estimates of the smallest eigenvalue are kept because they answer different questions.
/// <see cref="LambdaMin"/> is the smallest Ritz value: the algebraically smallest eigenvalue, negative at a saddle
/// and kept signed. <see cref="LambdaMinShifted"/> is what the paper's code computes: the largest-magnitude
/// eigenvalue μ of H − σI with σ = <see cref="Shift"/> = 0.51·λmax, reported as μ + σ. It equals λmin when λmin is
/// negative or below 0.02·λmax, and returns λmax itself otherwise (then |λmax − σ| is the larger magnitude), so a
/// disagreement between the two flags a spectrum where the paper's estimate is not the smallest eigenvalue.
/// </para>
/// <para>
/// Both condition numbers are given: the signed ratio λmax/λmin (negative at a saddle, as a signed computation
/// would report it) and λmax/|λmin|, the magnitude that "larger condition number" can sensibly compare across runs.
/// </para>
/// </summary>
/// <param name="Member">The member's index in the population.</param>
/// <param name="LambdaMax">The largest Ritz value (algebraically largest eigenvalue estimate).</param>
/// <param name="LambdaMin">The smallest Ritz value (algebraically smallest eigenvalue estimate), signed.</param>
/// <param name="LambdaMinShifted">The paper's estimate: σ + the largest-magnitude eigenvalue of H − σI.</param>
/// <param name="Shift">σ = 0.51·λmax.</param>
/// <param name="Iterations">Lanczos steps: the size of the member's tridiagonal matrix.</param>
/// <param name="Restarts">Breakdowns (an invariant Krylov subspace) after which the member continued from a fresh random vector.</param>
public sealed record HessianExtremes(
    int Member, double LambdaMax, double LambdaMin, double LambdaMinShifted, double Shift, int Iterations, int Restarts)
{
    /// <summary>λmax/λmin, signed: negative when the Hessian is indefinite.</summary>
    public double ConditionNumber => LambdaMax / LambdaMin;

    /// <summary>λmax/|λmin|.</summary>
    public double ConditionNumberMagnitude => LambdaMax / Math.Abs(LambdaMin);

    /// <summary>λmax over the paper's λmin estimate, signed.</summary>
    public double ConditionNumberShifted => LambdaMax / LambdaMinShifted;
}
