using Grokking.Runtime;
using static TorchSharp.torch;

namespace Grokking.Landscape;

/// <summary>
/// The T×T Gram matrices G_k[s, t] = ⟨x_s, x_t⟩ of the T row vectors of each of K population members, accumulated
/// from blocks of coordinates: <see cref="Add"/> takes the same coordinates of every row ([T, K, b]), one parameter
/// tensor (or a chunk of one) at a time, and adds their contribution for all members with one bmm.
/// <para>
/// Why a Gram matrix: the PCA variances of a trajectory are the nonzero eigenvalues of its column-centered Gram
/// matrix J G J (J = I − 11ᵀ/T) divided by T − 1, the same numbers as the eigenvalues of the parameters × parameters
/// covariance, so the dense [checkpoints × parameters] matrix never has to exist. Memory is T² doubles per member
/// plus one block, whatever the parameter count, and the blocks sum because the inner product is a sum over
/// coordinates.
/// </para>
/// <para>
/// Why float64: a Gram entry sums products over all parameters, and the centering subtracts entries of similar
/// size, so float32 accumulation would leave the small variances (the ones past the second) to rounding.
/// </para>
/// </summary>
public sealed class TrajectoryGram : IDisposable
{
    private readonly Tensor gram;

    /// <summary>An empty accumulator for <paramref name="rows"/> rows (checkpoints) of <paramref name="members"/> members.</summary>
    public TrajectoryGram(int rows, int members, Device? device = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(rows, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(members, 1);
        Rows = rows;
        Members = members;
        // Owned by this object, not by whatever dispose scope the caller has open.
        gram = zeros([members, rows, rows], ScalarType.Float64, device ?? CPU).DetachFromDisposeScope();
    }

    /// <summary>T: the number of row vectors (checkpoints).</summary>
    public int Rows { get; }

    /// <summary>K: the number of members, each with its own Gram matrix.</summary>
    public int Members { get; }

    /// <summary>Coordinates added so far per row (the length of the row vectors seen).</summary>
    public long Coordinates { get; private set; }

    /// <summary>
    /// Adds the contribution of <paramref name="block"/>, shaped [T, K, ...] (trailing dimensions are flattened into
    /// the b coordinates of this block): G_k += X_k X_kᵀ with X_k = block[:, k, :] ([T, b]), in float64.
    /// </summary>
    public void Add(Tensor block)
    {
        ArgumentNullException.ThrowIfNull(block);
        if (block.dim() < 2 || block.shape[0] != Rows || block.shape[1] != Members)
        {
            throw new ArgumentException($"a block is [rows = {Rows}, members = {Members}, ...], not {ShapeText.Of(block.shape)}", nameof(block));
        }

        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        // [T, K, b] -> [K, T, b]: the member dimension is bmm's batch dimension, so members never mix.
        var x = block.detach().to(ScalarType.Float64).to(gram.device).reshape(Rows, Members, -1).permute(1, 0, 2);
        gram.PlusInPlace(x.bmm(x.transpose(1, 2)));
        Coordinates += x.shape[2];
    }

    /// <summary>The accumulated Gram matrix of every member (index k: member k's T×T matrix), read in one transfer.</summary>
    public double[][,] Gram()
    {
        double[] all;
        using (var scope = NewDisposeScope())
        {
            all = gram.cpu().contiguous().data<double>().ToArray();
        }

        var result = new double[Members][,];
        for (int k = 0; k < Members; k++)
        {
            var g = new double[Rows, Rows];
            for (int s = 0; s < Rows; s++)
            {
                for (int t = 0; t < Rows; t++)
                {
                    g[s, t] = all[(((long)k * Rows) + s) * Rows + t];
                }
            }

            result[k] = g;
        }

        return result;
    }

    public void Dispose() => gram.Dispose();
}
