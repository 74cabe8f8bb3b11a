using Grokking.Runtime;
using Grokking.Configuration;
using Grokking.Models;
using static TorchSharp.torch;

namespace Grokking.Optim;

/// <summary>
/// SGD, Adam and AdamW over a population, each member with its own learning rate and weight decay, in a few
/// fused tensor ops per parameter (no per-member loop). Semantics follow torch.optim:
/// SGD and Adam add <c>wd * theta</c> to the gradient (L2), AdamW decays the weights directly
/// (<c>theta *= 1 - lr * wd</c>). Warmup scales the learning rate linearly from 0 (first step) to 1 (see <see cref="OptimizerOptions.WarmupSteps"/>),
/// a step schedule multiplies it (<see cref="OptimizerOptions.LearningRateDropEvery"/>), and a model's representation
/// parameters train at their own rate without weight decay (<see cref="OptimizerOptions.RepresentationLearningRate"/>).
/// <para>
/// A member whose step is not finite (its loss or gradient) is frozen intact at that step: from then on its
/// gradient is masked to zero and its learning rate, decay and moment decay are neutral, so its weights and
/// optimizer state stay exactly as they were before the bad step (a NaN gradient times a zero learning rate would
/// still be NaN). The check runs on the device inside the step; nothing is read back.
/// </para>
/// </summary>
public sealed class PopulationOptimizer : IDisposable
{
    private readonly PopulationModel model;
    private readonly OptimizerOptions options;
    private readonly Tensor learningRates;
    private readonly Tensor weightDecays;
    private readonly Tensor active;
    private readonly Tensor stepsTaken;
    private readonly Dictionary<string, Tensor> firstMoments = [];
    private readonly Dictionary<string, Tensor> secondMoments = [];
    private Tensor? initialNorms;

    public PopulationOptimizer(
        PopulationModel model, OptimizerOptions options, IReadOnlyList<double> learningRates, IReadOnlyList<double> weightDecays)
    {
        this.model = model;
        this.options = options;
        var device = model.Parameters[0].Value.device;
        this.learningRates = tensor(learningRates.ToArray(), ScalarType.Float32, device);
        this.weightDecays = tensor(weightDecays.ToArray(), ScalarType.Float32, device);
        active = ones(model.Members, ScalarType.Float32, device);
        // int64: a float32 count stops at 2^24 (2^24 + 1 rounds back to 2^24). Nothing reads it in the step's arithmetic
        // (Adam's bias correction uses the step index, a long, in double precision), so the trajectories are unchanged.
        stepsTaken = zeros(model.Members, ScalarType.Int64, device);
        if (options.Name != OptimizerKind.Sgd)
        {
            foreach (var p in model.Parameters)
            {
                firstMoments[p.Name] = zeros_like(p.Value);
                secondMoments[p.Name] = zeros_like(p.Value);
            }
        }

        if (options.ConstrainNorm)
        {
            using var scope = NewDisposeScope();
            initialNorms = model.SquaredNorm(PopulationModel.IsWeight).sqrt().MoveToOuterDisposeScope();
        }
    }

    /// <summary>Views of members [first, first + count) of <paramref name="whole"/>'s tensors: its steps update the whole in place.</summary>
    private PopulationOptimizer(PopulationModel chunk, PopulationOptimizer whole, int first)
    {
        model = chunk;
        options = whole.options;
        Tensor Part(Tensor t) => t.narrow(0, first, chunk.Members);
        learningRates = Part(whole.learningRates);
        weightDecays = Part(whole.weightDecays);
        active = Part(whole.active);
        stepsTaken = Part(whole.stepsTaken);
        foreach (var (name, m) in whole.firstMoments)
        {
            firstMoments[name] = Part(m);
            secondMoments[name] = Part(whole.secondMoments[name]);
        }

        initialNorms = whole.initialNorms is null ? null : Part(whole.initialNorms);
    }

    /// <summary>
    /// The optimizer of members [<paramref name="first"/>, first + chunk.Members) alone, for <paramref name="chunk"/>
    /// (whose parameters are those members' of this optimizer's model, <see cref="PopulationModel.ShareMembersOf"/>): its
    /// state is a view of this one's, so <see cref="State"/>, <see cref="Active"/> and <see cref="StepsTaken"/> here see its steps.
    /// </summary>
    public PopulationOptimizer ForMembers(PopulationModel chunk, int first) => new(chunk, this, first);

    /// <summary>Per-member learning rates [K] (before warmup and freezing).</summary>
    public Tensor LearningRates => learningRates;

    public Tensor WeightDecays => weightDecays;

    /// <summary>1 for members still training, 0 for frozen ones: [K].</summary>
    public Tensor Active => active;

    /// <summary>Optimizer steps each member has taken: [K] int64. A frozen member's bad step is the one after these.</summary>
    public Tensor StepsTaken => stepsTaken;

    public void ZeroGrad()
    {
        // The grad getter returns a new wrapper each call; the scope disposes them whoever calls this.
        using var scope = NewDisposeScope();
        foreach (var p in model.Parameters)
        {
            p.Value.grad?.zero_();
        }
    }

    /// <param name="step">0-based index of this optimizer step (warmup, Adam's bias correction).</param>
    /// <param name="healthy">[K] bool, false for members whose loss or gradient is not finite at this step: they are frozen before it.</param>
    /// <param name="gradSquare">[K] each member's squared gradient norm, needed when Optimizer:ClipGradNorm is set.</param>
    public void Step(long step, Tensor? healthy = null, Tensor? gradSquare = null)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        if (healthy is not null)
        {
            active.mul_(healthy.to_type(ScalarType.Float32));
        }

        ClipGradients(gradSquare);

        var frozen = active.EqualTo(0);
        double warm = (options.WarmupSteps > 0 ? Math.Min(1.0, (double)step / options.WarmupSteps) : 1.0) * options.ScheduleFactor(step);
        var lr = learningRates.mul(active).TimesInPlace(warm);
        var wd = weightDecays.mul(active);
        // A representation (toy addition's E_i) trains at its own rate eta_R and without decay (Omnigrok's Eq. 6).
        var lrRepresentation = model.HasRepresentation ? active.Times(options.RepresentationLearningRate * warm) : null;
        var noDecay = model.HasRepresentation ? zeros_like(wd) : null;

        // Moment decay 1 for a frozen member: with its gradient masked to zero its moments stay as they are.
        bool adaptive = options.Name != OptimizerKind.Sgd;
        var beta1 = adaptive ? active.Times(options.Beta1 - 1).PlusInPlace(1) : null;
        var beta2 = adaptive ? active.Times(options.Beta2 - 1).PlusInPlace(1) : null;
        long t = step + 1;
        foreach (var p in model.Parameters)
        {
            var value = p.Value;
            if (value.grad is not { } grad)
            {
                continue;
            }

            var shape = Broadcast(value);
            var lrP = (p.Representation ? lrRepresentation! : lr).view(shape);
            var wdP = (p.Representation ? noDecay! : wd).view(shape);
            grad.FillWhereInPlace(frozen.view(shape), 0);
            switch (options.Name)
            {
                case OptimizerKind.Sgd:
                    value.sub_(grad.Plus(value.mul(wdP)).mul_(lrP));
                    break;
                case OptimizerKind.Adam:
                    AdamUpdate(p.Name, value, grad.Plus(value.mul(wdP)), lrP, beta1!.view(shape), beta2!.view(shape), t);
                    break;
                case OptimizerKind.AdamW:
                    value.mul_(lrP.mul(wdP).neg_().PlusInPlace(1));
                    AdamUpdate(p.Name, value, grad, lrP, beta1!.view(shape), beta2!.view(shape), t);
                    break;
            }
        }

        stepsTaken.PlusInPlace(active.to_type(ScalarType.Int64));
        HoldNorm();
    }

    /// <summary>Optimizer:ConstrainNorm: every member's weights (a representation aside) rescaled to their initial norm.</summary>
    private void HoldNorm()
    {
        if (initialNorms is null)
        {
            return;
        }

        var scale = initialNorms.div(model.SquaredNorm(PopulationModel.IsWeight).sqrt().ClampMin(1e-12));
        foreach (var p in model.Parameters.Where(PopulationModel.IsWeight))
        {
            p.Value.mul_(scale.view(Broadcast(p.Value)));
        }
    }

    /// <summary>
    /// Scales each member's gradient by min(1, clip / (norm + 1e-6)), PyTorch's clip_grad_norm_ over all of a member's
    /// parameters; a member's own norm only, since members are separate models.
    /// </summary>
    private void ClipGradients(Tensor? gradSquare)
    {
        if (options.ClipGradNorm <= 0)
        {
            return;
        }

        if (gradSquare is null)
        {
            throw new ArgumentNullException(nameof(gradSquare), "Optimizer:ClipGradNorm needs each member's gradient norm");
        }

        var coefficient = gradSquare.sqrt().PlusInPlace(1e-6).reciprocal_().mul_(options.ClipGradNorm).clamp_max_(1.0);
        foreach (var p in model.Parameters)
        {
            p.Value.grad?.mul_(coefficient.view(Broadcast(p.Value)));
        }
    }

    private void AdamUpdate(string name, Tensor value, Tensor grad, Tensor lrP, Tensor beta1, Tensor beta2, long t)
    {
        var m = firstMoments[name];
        var v = secondMoments[name];
        m.mul_(beta1).PlusScaledInPlace(grad, 1 - options.Beta1);
        v.mul_(beta2).PlusProductInPlace(grad, grad, 1 - options.Beta2);
        double c1 = 1 - Math.Pow(options.Beta1, t);
        double c2 = 1 - Math.Pow(options.Beta2, t);
        var denom = v.DividedBy(c2).sqrt_().PlusInPlace(options.Eps);
        value.sub_(m.div(denom).mul_(lrP).DivideInPlace(c1));
    }

    private static long[] Broadcast(Tensor value)
    {
        var shape = new long[value.dim()];
        Array.Fill(shape, 1L);
        shape[0] = value.shape[0];
        return shape;
    }

    /// <summary>Optimizer state for checkpoints (moments, freeze mask, initial norms).</summary>
    public Dictionary<string, Tensor> State()
    {
        var state = new Dictionary<string, Tensor> { ["active"] = active.clone(), ["steps_taken"] = stepsTaken.clone() };
        foreach (var (name, m) in firstMoments)
        {
            state["m." + name] = m.clone();
            state["v." + name] = secondMoments[name].clone();
        }

        if (initialNorms is not null)
        {
            state["initial_norms"] = initialNorms.clone();
        }

        return state;
    }

    public void LoadState(IReadOnlyDictionary<string, Tensor> state)
    {
        using var noGrad = no_grad();
        active.copy_(state["active"]);
        if (state.TryGetValue("steps_taken", out var taken))
        {
            stepsTaken.copy_(taken);
        }
        foreach (var (name, m) in firstMoments)
        {
            m.copy_(state["m." + name]);
            secondMoments[name].copy_(state["v." + name]);
        }

        if (initialNorms is not null && state.TryGetValue("initial_norms", out var norms))
        {
            initialNorms.copy_(norms);
        }
    }

    public void Dispose()
    {
        learningRates.Dispose();
        weightDecays.Dispose();
        active.Dispose();
        stepsTaken.Dispose();
        foreach (var t in firstMoments.Values.Concat(secondMoments.Values))
        {
            t.Dispose();
        }

        initialNorms?.Dispose();
    }
}
