using Grokking.Data;
using Grokking.Models;
using Grokking.Optim;
using static TorchSharp.torch;

namespace Grokking.Training;

/// <summary>
/// Members [First, First + Model.Members) of a population, stepped as a population of their own: a smaller [k, ...]
/// working set that stays in cache where the whole population's falls out of it. Every member's arithmetic is the
/// same as in the whole population's step (each is its own slice of every batched operation), so a step of the chunks
/// one after another computes the bits one step of the whole does.
/// </summary>
/// <param name="losses">[k, MetricsEvery] this chunk's rows of the population's per-step loss buffer.</param>
internal sealed class MemberChunk(
    int first, PopulationModel model, PopulationOptimizer optimizer, PopulationData data, StepTracer? tracer, Tensor losses)
{
    public int First => first;

    public PopulationModel Model => model;

    public PopulationOptimizer Optimizer => optimizer;

    public PopulationData Data => data;

    public StepTracer? Tracer => tracer;

    public Tensor Losses => losses;

    /// <summary>One optimizer step of these members on their rows of the batch.</summary>
    /// <returns>At a metric step, [3, k]: the squared norms of the gradient, of its invariant part and of the invariant weights; else null.</returns>
    public Tensor? Step(Minibatch batch, bool metricStep, Func<PopulationParameter, bool> invariant)
    {
        Tensor? gradSquares = null;
        using var scope = NewDisposeScope();
        var rows = batch.Rows(data, first);
        var output = model.forward(rows.X);
        var perExample = LossFunctions.PerExample(output, rows.Y, data.Task);
        var loss = rows.Mean(data, perExample);
        optimizer.ZeroGrad();
        loss.sum().backward();
        var gradSquare = model.SquaredGradNorm();
        using (no_grad())
        {
            losses.select(1, batch.Step % losses.shape[1]).copy_(loss.detach());
        }

        if (metricStep)
        {
            // Norms at the weights the gradient was taken at (before the step), so the effective gradient norm pairs them.
            Tensor[] norms = [gradSquare, model.SquaredGradNorm(invariant), model.SquaredNorm(invariant)];
            gradSquares = stack(norms).MoveToOuterDisposeScope();
        }

        // A member whose loss or gradient is not finite is frozen before this step touches it. Out of place: libtorch
        // has no shape function for logical_and_ on a device that traces shapes (NonCpuDeviceTests' lazy device).
        tracer?.BeforeStep();
        optimizer.Step(batch.Step, loss.detach().isfinite().logical_and(gradSquare.isfinite()), gradSquare);
        tracer?.AfterStep(batch.Step);
        return gradSquares;
    }
}
