using Grokking.Runtime;
using Grokking.Models;
using static TorchSharp.torch;

namespace Grokking.Training;

/// <summary>
/// Per-step traces for PG-3 and PG-5 (Train:StepTraces): after every optimizer step, the norm of the output layer's
/// weight (the "last-layer weight norm" slingshots show in) and the cosine distance 1 - cos between the whole parameter
/// vector before and after the step. A step turns the weights by ~1e-6 rad or less, so 1 - cos is ~1e-12 to 1e-7:
/// below float32's resolution of a cosine near 1 (6e-8). The distance is therefore computed in float64 from the step
/// itself, 1 - cos = (|a - b|^2 - (|a| - |b|)^2) / (2 |a| |b|) with |a| - |b| = (a - b).(a + b) / (|a| + |b|), which
/// has no cancellation, and stored as a distance. Both stay on the device in [K, MetricsEvery] buffers, read at metric steps like
/// the step losses, so tracing adds no synchronisation.
/// </summary>
internal sealed class StepTracer : IDisposable
{
    private readonly PopulationModel model;
    private readonly PopulationParameter output;
    private readonly Tensor outputNorms;
    private readonly Tensor distances;
    private Tensor[]? before;

    public StepTracer(PopulationModel model, long metricsEvery)
        : this(
            model,
            zeros(model.Members, metricsEvery, model.DType, model.Device),
            zeros(model.Members, metricsEvery, ScalarType.Float64, model.Device))
    {
    }

    private StepTracer(PopulationModel model, Tensor outputNorms, Tensor distances)
    {
        this.model = model;
        output = model.Parameters.Single(p => p.Name == model.OutputWeightName);
        this.outputNorms = outputNorms;
        this.distances = distances;
    }

    /// <summary>The tracer of members [<paramref name="first"/>, first + chunk.Members) alone, writing into views of this one's buffers.</summary>
    public StepTracer ForMembers(PopulationModel chunk, int first) =>
        new(chunk, outputNorms.narrow(0, first, chunk.Members), distances.narrow(0, first, chunk.Members));

    /// <summary>Copies the weights the coming step starts from (call inside the step's dispose scope).</summary>
    public void BeforeStep()
    {
        using var noGrad = no_grad();
        before = model.Parameters.Select(p => p.Value.detach().clone()).ToArray();
    }

    public void AfterStep(long step)
    {
        using var noGrad = no_grad();
        int k = model.Members;
        var parameters = model.Parameters;
        Tensor? diffSq = null;
        Tensor? diffDotSum = null;
        Tensor? oldSq = null;
        Tensor? newSq = null;
        for (int i = 0; i < parameters.Count; i++)
        {
            var old = before![i].reshape(k, -1).to_type(ScalarType.Float64);
            var now = parameters[i].Value.detach().reshape(k, -1).to_type(ScalarType.Float64);
            var diff = old.sub(now);
            diffSq = Accumulate(diffSq, diff.Squared().sum(1));
            diffDotSum = Accumulate(diffDotSum, diff.mul(old.Plus(now)).sum(1));
            oldSq = Accumulate(oldSq, old.Squared().sum(1));
            newSq = Accumulate(newSq, now.Squared().sum(1));
        }

        var oldNorm = oldSq!.sqrt();
        var newNorm = newSq!.sqrt();
        var normGap = diffDotSum!.div(oldNorm.Plus(newNorm));
        long column = step % distances.shape[1];
        distances.select(1, column).copy_(diffSq!.sub(normGap.Squared()).div(oldNorm.mul(newNorm).mul(2)));
        outputNorms.select(1, column).copy_(output.Value.detach().reshape(k, -1).Squared().sum(1).sqrt());
        before = null;
    }

    /// <summary>Moves the first <paramref name="buffered"/> columns of both buffers to the per-member host series.</summary>
    public void Append(int buffered, List<List<float>> norms, List<List<float>> distanceSeries)
    {
        AppendColumns(outputNorms, buffered, norms);
        AppendColumns(distances, buffered, distanceSeries);
    }

    public void Dispose()
    {
        outputNorms.Dispose();
        distances.Dispose();
    }

    internal static void AppendColumns(Tensor buffer, int buffered, List<List<float>> series)
    {
        using var scope = NewDisposeScope();
        var values = buffer.narrow(1, 0, buffered).to_type(ScalarType.Float32).cpu().data<float>().ToArray();
        for (int m = 0; m < series.Count; m++)
        {
            series[m].AddRange(values.AsSpan(m * buffered, buffered));
        }
    }

    private static Tensor Accumulate(Tensor? total, Tensor value) => total is null ? value : total.PlusInPlace(value);
}
