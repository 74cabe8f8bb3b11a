using Grokking.Runtime;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Grokking.Models;

/// <summary>
/// K independent models trained in lockstep: every parameter has a leading member dimension and the forward
/// pass is batched (bmm) over members, so a population costs one computation instead of K.
/// Input [K, B, ...] gives output [K, B, C].
/// <para>
/// Parameters are created on their device and the model is never moved: TorchSharp's <c>Module.to</c> replaces
/// every parameter with a new tensor and disposes the old one, re-pointing only fields whose names match the
/// registered names, so the parameter list and the per-block records here would keep disposed tensors. The
/// <c>to</c> overrides below refuse the move instead of corrupting the model.
/// </para>
/// </summary>
public abstract class PopulationModel : nn.Module<Tensor, Tensor>
{
    private readonly List<PopulationParameter> all = [];

    protected PopulationModel(string name, int members, Device? device, ScalarType dtype = ScalarType.Float32)
        : base(name)
    {
        if (members < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(members), "a population has at least one member");
        }

        Members = members;
        Device = device ?? CPU;
        DType = dtype;
    }

    public int Members { get; }

    /// <summary>Where every parameter lives, fixed at construction.</summary>
    public Device Device { get; }

    /// <summary>The type every parameter is created in, fixed at construction (float64 for finite-difference checks).</summary>
    public ScalarType DType { get; }

    public IReadOnlyList<PopulationParameter> Parameters => all;

    /// <summary>The weight of the layer that writes the outputs (PG's "last-layer weight norm" reads it).</summary>
    public abstract string OutputWeightName { get; }

    /// <summary>
    /// The most rows per member one evaluation pass may take: a bound on memory for models whose activations per row are
    /// large (the LSTM keeps every step's gate inputs of a pass), none for the others.
    /// </summary>
    /// <param name="inputs">The split's inputs [K, N, ...]: their row shape sets the activations per row.</param>
    public virtual long MaxEvaluationRows(Tensor inputs) => long.MaxValue;

    /// <summary>True when some parameters feed a normalization layer (their scale does not change predictions).</summary>
    public bool HasScaleInvariantParameters => all.Any(p => p.ScaleInvariant);

    protected Parameter Add(string name, long[] shape, InitKind init, long fanIn, bool scaleInvariant = false, bool representation = false)
    {
        var p = new Parameter(zeros([Members, .. shape], DType, Device));
        register_parameter(name, p);
        all.Add(new PopulationParameter(name, p, init, fanIn, scaleInvariant, representation));
        return p;
    }

    /// <summary>True when the model has a learned input representation (<see cref="PopulationParameter.Representation"/>).</summary>
    public bool HasRepresentation => all.Any(p => p.Representation);

    /// <summary>The parameters other than a representation: the weights whose norm is the paper's w (all of them for most models).</summary>
    public static bool IsWeight(PopulationParameter p) => !p.Representation;

    /// <summary>
    /// Draws member k's parameters from a generator seeded by seeds[k] alone (in registration order), times
    /// initScales[k] (Omnigrok's alpha): a member's weights do not depend on the population around it. A representation
    /// parameter is then drawn by the model (<see cref="InitializeRepresentation"/>) at each member's messiness m
    /// (<paramref name="messiness"/>; null: the model's configured value), never scaled by alpha.
    /// </summary>
    public void Initialize(IReadOnlyList<long> seeds, IReadOnlyList<double> initScales, IReadOnlyList<double>? messiness = null)
    {
        if (seeds.Count != Members || initScales.Count != Members)
        {
            throw new ArgumentException($"need {Members} seeds and init scales");
        }

        using var noGrad = no_grad();
        for (int k = 0; k < Members; k++)
        {
            using var g = SeedStreams.Generator(seeds[k], SeedStreams.Init);
            foreach (var p in all)
            {
                using var scope = NewDisposeScope();
                var shape = p.Value.shape[1..];
                // Drawn in float32 on the CPU from the member's generator, so a member's weights are the same on every
                // device and, up to rounding, at every dtype.
                var value = p.Init switch
                {
                    InitKind.Uniform => rand(shape, generator: g).mul_(2.0 / Math.Sqrt(p.Fan)).sub_(1.0 / Math.Sqrt(p.Fan)),
                    InitKind.Normal => randn(shape, generator: g).div_(Math.Sqrt(p.Fan)),
                    InitKind.Ones => ones(shape),
                    _ => zeros(shape),
                };
                p.Value[k].copy_(p.Representation ? value : value.mul_(initScales[k]));
            }
        }

        if (HasRepresentation)
        {
            InitializeRepresentation(seeds, messiness);
        }
    }

    /// <summary>
    /// Draws the representation parameters of every member (models that have one override it); the base draw above left
    /// them as their InitKind gives them.
    /// </summary>
    protected virtual void InitializeRepresentation(IReadOnlyList<long> seeds, IReadOnlyList<double>? messiness)
    {
    }

    protected override nn.Module _to(Device device, ScalarType dtype, bool non_blocking) => throw Unmovable();

    protected override nn.Module _to(DeviceType deviceType, int deviceIndex, bool non_blocking) => throw Unmovable();

    protected override nn.Module _to(ScalarType dtype, bool non_blocking) => throw Unmovable();

    private NotSupportedException Unmovable() =>
        new($"{GetName()} is created on its device ({Device}) and cannot be moved or converted: "
            + "Module.to would replace its parameters behind its own references; build it on the target device instead");

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

    /// <summary>
    /// Makes this model's parameters views of members [<paramref name="first"/>, first + Members) of
    /// <paramref name="whole"/>'s (a model of the same architecture): a step of this model moves those members of the
    /// whole, whose metrics and checkpoints read them in place. Gradients stay this model's own.
    /// </summary>
    public void ShareMembersOf(PopulationModel whole, int first)
    {
        if (whole.all.Count != all.Count || first < 0 || first + Members > whole.Members)
        {
            throw new ArgumentException($"members {first}..{first + Members - 1} are not in a population of {whole.Members} of this architecture");
        }

        using var noGrad = no_grad();
        for (int i = 0; i < all.Count; i++)
        {
            var source = whole.all[i].Value;
            if (whole.all[i].Name != all[i].Name || !source.shape.AsSpan(1).SequenceEqual(all[i].Value.shape.AsSpan(1)))
            {
                throw new ArgumentException($"parameter {all[i].Name} differs from the population's {whole.all[i].Name}");
            }

            using var members = source.narrow(0, first, Members);
            // TorchSharp's set_ returns the tensor it was called on (disposing the result would dispose the parameter).
            var shared = all[i].Value.set_(members);
            if (!ReferenceEquals(shared, all[i].Value))
            {
                shared.Dispose();
            }
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
            var s = p.Value.detach().Squared().reshape(Members, -1).sum(1);
            total = total is null ? s : total.PlusInPlace(s);
        }

        return total ?? zeros(Members, DType, Device);
    }

    /// <summary>Squared L2 norm per member of the gradients of the selected all: [K].</summary>
    public Tensor SquaredGradNorm(Func<PopulationParameter, bool>? select = null)
    {
        Tensor? total = null;
        foreach (var p in all.Where(select ?? (_ => true)))
        {
            if (p.Value.grad is { } g)
            {
                var s = g.Squared().reshape(Members, -1).sum(1);
                total = total is null ? s : total.PlusInPlace(s);
            }
        }

        return total ?? zeros(Members, DType, Device);
    }
}
