using Grokking.Runtime;
using Grokking.Models;
using static TorchSharp.torch;

namespace Grokking.Training;

/// <summary>
/// Per-step traces for PG-3 and PG-5 (Train:StepTraces): after every optimizer step, the norm of the output layer's
/// weight (the "last-layer weight norm" slingshots show in) and the cosine similarity between the whole parameter
/// vector before and after the step. Both stay on the device in [K, MetricsEvery] buffers, read at metric steps like
/// the step losses, so tracing adds no synchronisation.
/// </summary>
internal sealed class StepTracer : IDisposable
{
    private readonly PopulationModel model;
    private readonly PopulationParameter output;
    private readonly Tensor outputNorms;
    private readonly Tensor cosines;
    private Tensor[]? before;

    public StepTracer(PopulationModel model, long metricsEvery)
    {
        this.model = model;
        output = model.Parameters.Single(p => p.Name == model.OutputWeightName);
        outputNorms = zeros(model.Members, metricsEvery, model.DType, model.Device);
        cosines = zeros(model.Members, metricsEvery, model.DType, model.Device);
    }

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
        Tensor? dot = null;
        Tensor? oldSq = null;
        Tensor? newSq = null;
        for (int i = 0; i < parameters.Count; i++)
        {
            var old = before![i].reshape(k, -1);
            var now = parameters[i].Value.detach().reshape(k, -1);
            dot = Accumulate(dot, old.mul(now).sum(1));
            oldSq = Accumulate(oldSq, old.Squared().sum(1));
            newSq = Accumulate(newSq, now.Squared().sum(1));
        }

        long column = step % cosines.shape[1];
        cosines.select(1, column).copy_(dot!.div(oldSq!.mul(newSq!).sqrt()));
        outputNorms.select(1, column).copy_(output.Value.detach().reshape(k, -1).Squared().sum(1).sqrt());
        before = null;
    }

    /// <summary>Moves the first <paramref name="buffered"/> columns of both buffers to the per-member host series.</summary>
    public void Append(int buffered, List<List<float>> norms, List<List<float>> cosineSeries)
    {
        AppendColumns(outputNorms, buffered, norms);
        AppendColumns(cosines, buffered, cosineSeries);
    }

    public void Dispose()
    {
        outputNorms.Dispose();
        cosines.Dispose();
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
