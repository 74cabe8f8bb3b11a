using Grokking.Runtime;
using Grokking.Models;
using static TorchSharp.torch;

namespace Grokking.Landscape;

/// <summary>
/// The weights of one model (name -> tensor without the member dimension), e.g. one member of a checkpoint.
/// <c>Seed</c> is the member's seed: the data a path through this vector is evaluated on is that member's data.
/// </summary>
public sealed class WeightVector : IDisposable
{
    private readonly Dictionary<string, Tensor> tensors;

    public WeightVector(string label, long seed, Dictionary<string, Tensor> tensors)
    {
        Label = label;
        Seed = seed;
        this.tensors = tensors;
    }

    public string Label { get; }

    public long Seed { get; }

    public IReadOnlyDictionary<string, Tensor> Tensors => tensors;

    /// <summary>A detached copy of member <paramref name="member"/> of a population model.</summary>
    public static WeightVector Of(PopulationModel model, int member, string label, long seed)
    {
        using var noGrad = no_grad();
        return new WeightVector(label, seed, model.Parameters.ToDictionary(p => p.Name, p => p.Value[member].detach().clone()));
    }

    /// <summary>(1 - u) * this + u * other, parameter by parameter (a new vector).</summary>
    public WeightVector Lerp(WeightVector other, double u, string label)
    {
        using var noGrad = no_grad();
        return new WeightVector(label, Seed, tensors.ToDictionary(t => t.Key, t => t.Value.Times(1 - u).PlusInPlace(other.Tensors[t.Key].Times(u))));
    }

    /// <summary>Squared L2 norm over all parameters.</summary>
    public double SquaredNorm()
    {
        using var scope = NewDisposeScope();
        return tensors.Values.Sum(t => t.to(ScalarType.Float64).Squared().sum().item<double>());
    }

    public void Dispose()
    {
        foreach (var t in tensors.Values)
        {
            t.Dispose();
        }
    }
}
