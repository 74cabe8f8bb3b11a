using System.Globalization;
using Grokking.Configuration;

namespace Grokking.Training;

/// <summary>
/// The setup tools/bench-pytorch.py is asked to measure: the bench's own model, data, batch, optimizer, epochs and
/// threads, so that the PyTorch rows and the engine's are the same work on the same CPU.
/// </summary>
public sealed record PyTorchRequest(
    int DModel, int DMlp, int Layers, int Heads, int Batch, int Modulus, ModularOperation Operation, bool EqualsToken,
    double TrainFraction, double LearningRate, double WeightDecay, int Epochs, int Members, int Threads, int Repeats = 1)
{
    /// <param name="repeats">Timed runs of the eager model, the fastest reported (the population runs once).</param>
    public static PyTorchRequest Of(GrokkingOptions o, int members, int epochs, int threads, int repeats = 1) => new(
        o.Model.DModel, o.Model.DMlp, o.Model.Layers, o.Model.Heads,
        MinibatchLoop.EffectiveBatchSize(o.Train.BatchSize, Data.PopulationDataFactory.TrainCount(o.Data)),
        o.Data.Modulus, o.Data.Operation, o.Data.Format == SequenceFormat.EqualsToken, o.Data.TrainFraction,
        o.Optimizer.LearningRate, o.Optimizer.WeightDecay, epochs, members, threads, repeats);

    /// <summary>
    /// Why the script cannot run this setup (it writes only the MC/Omnigrok model: a transformer without normalization,
    /// learned positions, biases in the MLP, PyTorch's default initialization, float32, plain SGD, on the CPU), or null.
    /// </summary>
    public static string? Unsupported(GrokkingOptions o, bool cpu)
    {
        var m = o.Model;
        string? reason =
            !cpu ? "it runs on the CPU only"
            : m.Kind != ModelKind.Transformer ? $"Model:Kind = {m.Kind}"
            : m.Norm != Normalization.None ? $"Model:Norm = {m.Norm}"
            : m.Positions != PositionEncoding.Learned ? $"Model:Positions = {m.Positions}"
            : m.WithoutBiases ? "Model:WithoutBiases = true"
            : m.Activation != Activation.Relu ? $"Model:Activation = {m.Activation}"
            : m.Init != Initialization.PyTorchDefault ? $"Model:Init = {m.Init}"
            : m.Precision != Precision.Float32 ? $"Model:Precision = {m.Precision}"
            : o.Optimizer.Name != OptimizerKind.Sgd || o.Optimizer.WarmupSteps > 0 || o.Optimizer.ConstrainNorm ? "an optimizer other than plain SGD"
            : o.Data.Kind != DatasetKind.Modular ? $"Data:Kind = {o.Data.Kind}"
            : o.Data.Operation == ModularOperation.Divide ? "Data:Operation = divide"
            : o.Data.Format is not (SequenceFormat.ThreeToken or SequenceFormat.EqualsToken) ? $"Data:Format = {o.Data.Format}"
            : null;
        return reason is null ? null : $"the reference script models the MC transformer (threetoken or equalstoken, SGD) only; here {reason}";
    }

    /// <summary>The script's command-line arguments for this request.</summary>
    public IReadOnlyList<string> Arguments()
    {
        var inv = CultureInfo.InvariantCulture;
        var args = new List<string>
        {
            "--modulus", Modulus.ToString(inv), "--operation", Operation.ToString().ToLowerInvariant(),
            "--train-fraction", TrainFraction.ToString("R", inv), "--d-model", DModel.ToString(inv), "--d-mlp", DMlp.ToString(inv),
            "--layers", Layers.ToString(inv), "--heads", Heads.ToString(inv), "--batch", Batch.ToString(inv),
            "--lr", LearningRate.ToString("R", inv), "--weight-decay", WeightDecay.ToString("R", inv),
            "--epochs", Epochs.ToString(inv), "--members", Members.ToString(inv), "--threads", Threads.ToString(inv),
            "--repeats", Repeats.ToString(inv),
        };
        if (EqualsToken)
        {
            args.Add("--equals-token");
        }

        return args;
    }
}
