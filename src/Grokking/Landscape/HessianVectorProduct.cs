using Grokking.Models;
using Grokking.Runtime;
using static TorchSharp.torch;

namespace Grokking.Landscape;

/// <summary>
/// Hessian-vector products of a population's per-member loss, by double backprop (Pearlmutter's trick without
/// the R-operator): g = ∂(Σ_k L_k)/∂θ with its graph kept, then H·v = ∂(Σ_i ⟨g_i, v_i⟩)/∂θ.
/// <para>
/// The objective is the sum of the members' losses and member k's loss reads only member k's slice of every
/// parameter, so the Hessian is block-diagonal across members: one product applies every member's own Hessian to
/// its own direction, K products for the cost of one, and no member's direction reaches another member's result.
/// </para>
/// <para>
/// The gradient graph is built once, at construction, and reused by every <see cref="Apply(IReadOnlyList{Tensor})"/>
/// (retain_graph), so a Lanczos run of m steps costs one forward pass, one backward pass and m double-backward
/// passes, not m of each. The graph holds the forward activations until <see cref="Dispose"/>; the parameters must
/// not change in between (the products would mix the old graph with new values).
/// </para>
/// <para>
/// TorchSharp 0.107's <c>torch.autograd.grad(outputs, inputs, grad_outputs = null, retain_graph = false,
/// create_graph = false, allow_unused = false)</c> does not default retain_graph to create_graph as PyTorch does, so
/// both calls pass it explicitly. Every parameter must reach the loss's gradient (allow_unused stays false: TorchSharp
/// cannot wrap the undefined tensor libtorch returns for an unused input, and an unused parameter is a bug here).
/// </para>
/// </summary>
public sealed class HessianVectorProduct : IDisposable
{
    private readonly Tensor[] parameters;
    private readonly Tensor[] gradients;
    private readonly long[] sizes;
    private bool disposed;

    /// <summary>Products for <paramref name="model"/>'s parameters, in <see cref="PopulationModel.Parameters"/> order.</summary>
    /// <param name="perMemberLoss">Runs the forward pass and returns the per-member loss [K] (e.g. the train loss).</param>
    public HessianVectorProduct(PopulationModel model, Func<Tensor> perMemberLoss)
        : this(ParametersOf(model), perMemberLoss)
    {
    }

    /// <summary>Products for any leaf tensors with a leading member dimension [K, ...] that require grad.</summary>
    /// <param name="perMemberLoss">Returns the per-member loss [K]; member k's entry may read only member k's slices.</param>
    public HessianVectorProduct(IReadOnlyList<Tensor> parameters, Func<Tensor> perMemberLoss)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(perMemberLoss);
        if (parameters.Count == 0)
        {
            throw new ArgumentException("no parameters to differentiate", nameof(parameters));
        }

        this.parameters = [.. parameters];
        Members = (int)this.parameters[0].shape[0];
        if (this.parameters.Any(p => p.dim() < 1 || p.shape[0] != Members || !p.requires_grad))
        {
            throw new ArgumentException($"every parameter needs a leading member dimension of {Members} and requires_grad", nameof(parameters));
        }

        sizes = [.. this.parameters.Select(p => p.numel() / Members)];
        Dimension = sizes.Sum();
        DType = this.parameters[0].dtype;
        Device = this.parameters[0].device;

        using var grad = enable_grad();
        using var scope = NewDisposeScope();
        var loss = perMemberLoss();
        if (loss.dim() != 1 || loss.shape[0] != Members)
        {
            throw new ArgumentException($"the loss must be per member, shape [{Members}], got {ShapeText.Of(loss.shape)}", nameof(perMemberLoss));
        }

        Loss = loss.detach().clone().DetachFromDisposeScope();
        var first = autograd.grad([loss.sum()], this.parameters, retain_graph: true, create_graph: true);
        // The gradients (and through them the graph) outlive this scope; the loss tensors do not need to.
        gradients = [.. first.Select(g => g.DetachFromDisposeScope())];
    }

    public int Members { get; }

    /// <summary>Parameters per member: the side n of each member's Hessian block.</summary>
    public long Dimension { get; }

    public ScalarType DType { get; }

    public Device Device { get; }

    /// <summary>The per-member loss [K] the Hessian is taken of, detached.</summary>
    public Tensor Loss { get; }

    /// <summary>
    /// H·v for directions shaped like the parameters ([K, ...] each, same order): member k's result is member k's
    /// Hessian block applied to member k's direction. New tensors, not attached to any graph.
    /// </summary>
    public Tensor[] Apply(IReadOnlyList<Tensor> directions)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        ArgumentNullException.ThrowIfNull(directions);
        if (directions.Count != parameters.Length)
        {
            throw new ArgumentException($"need one direction per parameter ({parameters.Length}), got {directions.Count}", nameof(directions));
        }

        using var grad = enable_grad();
        using var scope = NewDisposeScope();
        Tensor? inner = null;
        for (int i = 0; i < parameters.Length; i++)
        {
            if (!directions[i].shape.SequenceEqual(parameters[i].shape))
            {
                throw new ArgumentException(
                    $"direction {i} has shape {ShapeText.Of(directions[i].shape)}, its parameter {ShapeText.Of(parameters[i].shape)}",
                    nameof(directions));
            }

            // v is a constant of the second differentiation: detached, so no graph reaches back into the caller's.
            var term = gradients[i].mul(directions[i].detach()).sum();
            inner = inner is null ? term : inner.PlusInPlace(term);
        }

        var products = autograd.grad([inner!], parameters, retain_graph: true);
        return [.. products.Select(p => p.detach().MoveToOuterDisposeScope())];
    }

    /// <summary>H·v on flattened directions [K, n] (parameters concatenated per member in order): [K, n].</summary>
    public Tensor Apply(Tensor directions)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        ArgumentNullException.ThrowIfNull(directions);
        if (directions.dim() != 2 || directions.shape[0] != Members || directions.shape[1] != Dimension)
        {
            throw new ArgumentException(
                $"flat directions must be [{Members}, {Dimension}], got {ShapeText.Of(directions.shape)}", nameof(directions));
        }

        using var scope = NewDisposeScope();
        var pieces = directions.split(sizes, 1);
        var shaped = new Tensor[parameters.Length];
        for (int i = 0; i < parameters.Length; i++)
        {
            shaped[i] = pieces[i].reshape(parameters[i].shape);
        }

        var products = Apply(shaped);
        return cat([.. products.Select(p => p.reshape(Members, -1))], 1).MoveToOuterDisposeScope();
    }

    public void Dispose()
    {
        if (disposed)
        {
            return;
        }

        disposed = true;
        foreach (var g in gradients)
        {
            g.Dispose();
        }

        Loss.Dispose();
    }

    private static Tensor[] ParametersOf(PopulationModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return [.. model.Parameters.Select(p => (Tensor)p.Value)];
    }
}
