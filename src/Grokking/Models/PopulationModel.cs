using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Grokking.Models;

/// <summary>How one parameter is drawn at initialization, before the member's init scale multiplies it.</summary>
public enum InitKind
{
    /// <summary>U(-b, b), b = 1/sqrt(fan_in): PyTorch's default for nn.Linear weights and biases.</summary>
    LinearDefault,

    /// <summary>N(0, 1): PyTorch's nn.Embedding default.</summary>
    EmbeddingUnit,

    /// <summary>N(0, 1/fan_in) with fan_in = d_model: the embedding scale of the Omnigrok/Nanda transformer.</summary>
    EmbeddingScaled,

    Ones,
    Zeros,
}

/// <summary>A parameter of every member at once: leading dimension = member.</summary>
public sealed record PopulationParameter(string Name, Parameter Value, InitKind Init, long FanIn, bool ScaleInvariant);

/// <summary>
/// K independent models trained in lockstep: every parameter has a leading member dimension and the forward
/// pass is batched (bmm) over members, so a population costs one computation instead of K.
/// Input [K, B, ...] gives output [K, B, C].
/// </summary>
public abstract class PopulationModel : nn.Module<Tensor, Tensor>
{
    private readonly List<PopulationParameter> all = [];

    protected PopulationModel(string name, int members)
        : base(name)
    {
        if (members < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(members), "a population has at least one member");
        }

        Members = members;
    }

    public int Members { get; }

    public IReadOnlyList<PopulationParameter> Parameters => all;

    /// <summary>True when some parameters feed a normalization layer (their scale does not change predictions).</summary>
    public bool HasScaleInvariantParameters => all.Any(p => p.ScaleInvariant);

    protected Parameter Add(string name, long[] shape, InitKind init, long fanIn, bool scaleInvariant = false)
    {
        var p = new Parameter(zeros([Members, .. shape]));
        register_parameter(name, p);
        all.Add(new PopulationParameter(name, p, init, fanIn, scaleInvariant));
        return p;
    }

    /// <summary>
    /// Draws member k's parameters from a generator seeded by seeds[k] alone (in registration order), times
    /// initScales[k] (Omnigrok's alpha): a member's weights do not depend on the population around it.
    /// </summary>
    public void Initialize(IReadOnlyList<long> seeds, IReadOnlyList<double> initScales)
    {
        if (seeds.Count != Members || initScales.Count != Members)
        {
            throw new ArgumentException($"need {Members} seeds and init scales");
        }

        using var noGrad = no_grad();
        for (int k = 0; k < Members; k++)
        {
            var g = Data.SeedStreams.Generator(seeds[k], Data.SeedStreams.Init);
            foreach (var p in all)
            {
                var shape = p.Value.shape[1..];
                using var value = p.Init switch
                {
                    InitKind.LinearDefault => rand(shape, generator: g).mul_(2.0 / Math.Sqrt(p.FanIn)).sub_(1.0 / Math.Sqrt(p.FanIn)),
                    InitKind.EmbeddingUnit => randn(shape, generator: g),
                    InitKind.EmbeddingScaled => randn(shape, generator: g).div_(Math.Sqrt(p.FanIn)),
                    InitKind.Ones => ones(shape),
                    _ => zeros(shape),
                };
                p.Value[k].copy_(value.mul_(initScales[k]));
            }
        }
    }

    /// <summary>Copies parameters from a state (name -> [K, ...] tensor), e.g. a checkpoint or points on a path.</summary>
    public void Load(IReadOnlyDictionary<string, Tensor> state)
    {
        using var noGrad = no_grad();
        foreach (var p in all)
        {
            if (!state.TryGetValue(p.Name, out var value))
            {
                throw new KeyNotFoundException($"state has no parameter '{p.Name}'");
            }

            p.Value.copy_(value);
        }
    }

    /// <summary>A detached copy of every parameter (name -> [K, ...]).</summary>
    public Dictionary<string, Tensor> Snapshot()
    {
        using var noGrad = no_grad();
        return all.ToDictionary(p => p.Name, p => p.Value.detach().clone());
    }

    /// <summary>Squared L2 norm per member over the selected all: [K].</summary>
    public Tensor SquaredNorm(Func<PopulationParameter, bool>? select = null)
    {
        Tensor? total = null;
        foreach (var p in all.Where(select ?? (_ => true)))
        {
            var s = p.Value.detach().square().reshape(Members, -1).sum(1);
            total = total is null ? s : total.add_(s);
        }

        return total ?? zeros(Members, device: all[0].Value.device);
    }

    /// <summary>Squared L2 norm per member of the gradients of the selected all: [K].</summary>
    public Tensor SquaredGradNorm(Func<PopulationParameter, bool>? select = null)
    {
        Tensor? total = null;
        foreach (var p in all.Where(select ?? (_ => true)))
        {
            if (p.Value.grad is { } g)
            {
                var s = g.square().reshape(Members, -1).sum(1);
                total = total is null ? s : total.add_(s);
            }
        }

        return total ?? zeros(Members, device: all[0].Value.device);
    }
}
