using Grokking.Runtime;
using static TorchSharp.torch;

namespace Grokking.Data;

/// <summary>
/// The train and validation sets of every member of a population, on the device: member k's examples are
/// <c>TrainX[k]</c>, <c>TrainY[k]</c>. Each member has its own split (and, for sampled data, its own samples). A set every
/// member shares may be one copy expanded over the members (a view whose member stride is 0): it is read through
/// <see cref="Gather"/> and row slices, never copied per member. Inputs go to a model through <see cref="Represent"/>,
/// which applies each member's representation messiness (<see cref="Mix"/>) when the population sweeps it.
/// </summary>
public sealed class PopulationData : IDisposable
{
    /// <param name="trainWeights">
    /// [K, N] 1 for a member's own rows and 0 for padding, when members have training sets of different sizes (a
    /// fraction sweep); null when every row is every member's.
    /// </param>
    /// <param name="valWeights">The same for the validation rows.</param>
    /// <param name="templates">[K, C, D] each member's label templates (<see cref="TaskKind.NearestTemplate"/>), else null.</param>
    /// <param name="mix">Each member's representation messiness (Population:Messiness), applied by <see cref="Represent"/>; null: raw inputs.</param>
    public PopulationData(
        TaskKind task,
        Tensor trainX,
        Tensor trainY,
        Tensor valX,
        Tensor valY,
        int classes,
        double correctThreshold = 0,
        Tensor? trainWeights = null,
        Tensor? valWeights = null,
        Tensor? templates = null,
        LabelTemplateMix? mix = null)
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
        TrainWeights = trainWeights;
        ValWeights = valWeights;
        Templates = templates;
        Mix = mix;
        TrainSizes = trainWeights?.sum(1).DetachFromDisposeScope();
        ValSizes = valWeights?.sum(1).DetachFromDisposeScope();
    }

    /// <summary>Each member's representation messiness, or null when the population does not sweep it.</summary>
    public LabelTemplateMix? Mix { get; }

    /// <summary>
    /// Rows <paramref name="x"/> [K, B, ...] of these members with their labels [K, B] as the model reads them: each
    /// member's mix of the raw input and its label's template (<see cref="Mix"/>), or the rows themselves.
    /// </summary>
    public Tensor Represent(Tensor x, Tensor labels) => Mix is null ? x : Mix.Apply(x, labels);

    /// <summary>[K, N] row weights of the padded training sets (a fraction sweep), or null.</summary>
    public Tensor? TrainWeights { get; }

    public Tensor? ValWeights { get; }

    /// <summary>[K, C, D] each member's label templates (toy addition's Y_k), or null for other tasks.</summary>
    public Tensor? Templates { get; }

    /// <summary>[K] each member's number of training rows when they differ, or null.</summary>
    public Tensor? TrainSizes { get; }

    public Tensor? ValSizes { get; }

    /// <summary>Each member's number of training rows when they differ (read to the host once), else null.</summary>
    public int[]? MemberTrainCounts()
    {
        if (TrainSizes is null)
        {
            return null;
        }

        using var scope = NewDisposeScope();
        return [.. TrainSizes.to_type(ScalarType.Int32).cpu().data<int>()];
    }

    /// <summary>True when members have training sets of different sizes (padded rows carry weight 0).</summary>
    public bool IsPadded => TrainWeights is not null;

    /// <summary>Per-member mean [K] of a per-example tensor [K, N] over each member's own training rows (the full training set).</summary>
    public Tensor TrainMean(Tensor perExample) => TrainWeights is null ? perExample.mean([1]) : perExample.mul(TrainWeights).sum(1).div(TrainSizes!);

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

    /// <summary>
    /// Rows <paramref name="indices"/>[k] of member k's tensor: [K, B] indices into [K, N, ...] give [K, B, ...]. A source
    /// every member shares (expanded over the members, member stride 0) is read from its one copy.
    /// </summary>
    public static Tensor Gather(Tensor source, Tensor indices)
    {
        long members = source.shape[0];
        long n = source.shape[1];
        if (IsShared(source))
        {
            return source[0].index_select(0, indices.reshape(-1)).reshape([members, indices.shape[1], .. source.shape[2..]]);
        }

        var offsets = arange(members, dtype: ScalarType.Int64, device: indices.device).Times(n).unsqueeze(1);
        var flat = source.reshape([members * n, .. source.shape[2..]]);
        var picked = flat.index_select(0, indices.Plus(offsets).reshape(-1));
        return picked.reshape([members, indices.shape[1], .. source.shape[2..]]);
    }

    /// <summary>
    /// Members [<paramref name="first"/>, first + <paramref name="count"/>) alone: views of this data's tensors, padded
    /// to the same length as the whole population's (so a chunk of members computes what the whole does for them).
    /// </summary>
    public PopulationData ForMembers(int first, int count)
    {
        Tensor Part(Tensor t) => t.narrow(0, first, count);
        return new PopulationData(
            Task,
            Part(TrainX),
            Part(TrainY),
            Part(ValX),
            Part(ValY),
            Classes,
            CorrectThreshold,
            TrainWeights is null ? null : Part(TrainWeights),
            ValWeights is null ? null : Part(ValWeights),
            Templates is null ? null : Part(Templates),
            Mix?.ForMembers(first, count));
    }

    /// <summary>One copy seen by every member: expanded over the members (a view whose member stride is 0).</summary>
    public static bool IsShared(Tensor t) => t.dim() > 1 && t.shape[0] > 1 && t.stride(0) == 0;

    /// <summary>The same data with floating-point tensors in <paramref name="type"/>; this instance is disposed.</summary>
    public PopulationData WithFloatType(ScalarType type)
    {
        // A shared set is converted once and expanded again: converting the view would copy it per member.
        Tensor Convert(Tensor t) => !t.is_floating_point() || t.dtype == type ? t.detach()
            : IsShared(t) ? t.narrow(0, 0, 1).to_type(type).expand(t.shape) : t.to_type(type);
        var converted = new PopulationData(
            Task,
            Convert(TrainX),
            Convert(TrainY),
            Convert(ValX),
            Convert(ValY),
            Classes,
            CorrectThreshold,
            TrainWeights?.detach(),
            ValWeights?.detach(),
            Templates is null ? null : Convert(Templates),
            Mix is null ? null : new LabelTemplateMix(Convert(Mix.Messiness), Convert(Mix.Templates)));
        Dispose();
        return converted;
    }

    public void Dispose()
    {
        TrainX.Dispose();
        TrainY.Dispose();
        ValX.Dispose();
        ValY.Dispose();
        TrainWeights?.Dispose();
        ValWeights?.Dispose();
        Templates?.Dispose();
        TrainSizes?.Dispose();
        ValSizes?.Dispose();
        Mix?.Dispose();
    }
}
