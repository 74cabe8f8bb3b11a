using Grokking.Runtime;
using static TorchSharp.torch;

namespace Grokking.Data;

/// <summary>
/// The train and validation sets of every member of a population, on the device: member k's examples are
/// <c>TrainX[k]</c>, <c>TrainY[k]</c>. Each member has its own split (and, for sampled data, its own samples).
/// </summary>
public sealed class PopulationData : IDisposable
{
    public PopulationData(TaskKind task, Tensor trainX, Tensor trainY, Tensor valX, Tensor valY, int classes, double correctThreshold = 0)
    {
        if (trainX.shape[0] != trainY.shape[0] || valX.shape[0] != trainX.shape[0] || valY.shape[0] != trainX.shape[0])
        {
            throw new ArgumentException("all tensors need the same member dimension");
        }

        Task = task;
        TrainX = trainX;
        TrainY = trainY;
        ValX = valX;
        ValY = valY;
        Classes = classes;
        CorrectThreshold = correctThreshold;
    }

    public TaskKind Task { get; }

    public Tensor TrainX { get; }

    public Tensor TrainY { get; }

    public Tensor ValX { get; }

    public Tensor ValY { get; }

    /// <summary>Output width: classes for classification, label dimension for regression.</summary>
    public int Classes { get; }

    /// <summary>Regression only: a sample counts as correct when its mean squared error is below this.</summary>
    public double CorrectThreshold { get; }

    public int Members => (int)TrainX.shape[0];

    public int TrainCount => (int)TrainX.shape[1];

    public int ValCount => (int)ValX.shape[1];

    /// <summary>Rows <paramref name="indices"/>[k] of member k's tensor: [K, B] indices into [K, N, ...] give [K, B, ...].</summary>
    public static Tensor Gather(Tensor source, Tensor indices)
    {
        long members = source.shape[0];
        long n = source.shape[1];
        var offsets = arange(members, dtype: ScalarType.Int64, device: indices.device).Times(n).unsqueeze(1);
        var flat = source.reshape([members * n, .. source.shape[2..]]);
        var picked = flat.index_select(0, indices.Plus(offsets).reshape(-1));
        return picked.reshape([members, indices.shape[1], .. source.shape[2..]]);
    }

    /// <summary>The same data with floating-point tensors in <paramref name="type"/>; this instance is disposed.</summary>
    public PopulationData WithFloatType(ScalarType type)
    {
        Tensor Convert(Tensor t) => t.is_floating_point() && t.dtype != type ? t.to_type(type) : t.detach();
        var converted = new PopulationData(Task, Convert(TrainX), Convert(TrainY), Convert(ValX), Convert(ValY), Classes, CorrectThreshold);
        Dispose();
        return converted;
    }

    public void Dispose()
    {
        TrainX.Dispose();
        TrainY.Dispose();
        ValX.Dispose();
        ValY.Dispose();
    }
}
