using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;
using static TorchSharp.torch;

namespace Grokking.Configuration;

public sealed class ModelOptions : ICrossValidated
{
    public ModelKind Kind { get; set; } = ModelKind.Transformer;

    [Range(1, 8)]
    public int Layers { get; set; } = 1;

    [Range(1, 65_536)]
    public int DModel { get; set; } = 128;

    [Range(1, 262_144)]
    public int DMlp { get; set; } = 512;

    [Range(1, 256)]
    public int Heads { get; set; } = 4;

    public Normalization Norm { get; set; } = Normalization.None;

    public Activation Activation { get; set; } = Activation.Relu;

    /// <summary>Hidden widths of an MLP model (Kind = Mlp), e.g. [100, 100].</summary>
    public int[] Hidden { get; set; } = [100, 100];

    /// <summary>Transformer positions; left out of the serialized options at its default (run keys unchanged).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public PositionEncoding Positions { get; set; } = PositionEncoding.Learned;

    /// <summary>
    /// True: the transformer's linear layers have no biases (openai/grok's bias=False everywhere); the LayerNorms keep
    /// theirs. Left out of the serialized options when false.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool WithoutBiases { get; set; }

    /// <summary>
    /// Token embedding width of the LSTM (Kind = lstm; its hidden width is DModel, its depth Layers), or the width of toy
    /// addition's per-digit representation E_i (Kind = toyaddition; Omnigrok's notebook: 2). Zero, and out of the
    /// serialized options, for the other kinds.
    /// </summary>
    [Range(0, 65_536)]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public int Embedding { get; set; }

    /// <summary>
    /// Toy addition: the half-width s of R_random ~ U(-s, s), the random end of the representation's interpolation. 0, the
    /// default and out of the serialized options, is the notebook's 1 (2 rand - 1); Liu et al.'s (2022) toy code draws its
    /// representation as rand - 1/2, s = 0.5.
    /// </summary>
    [Range(0.0, 1e6)]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public double RepresentationSpread { get; set; }

    public Initialization Init { get; set; } = Initialization.PyTorchDefault;

    /// <summary>The initialization multiplied by this factor (Omnigrok's alpha).</summary>
    [Range(1e-6, 1e6)]
    public double InitScale { get; set; } = 1.0;

    /// <summary>
    /// Parameter and data type. Left out of the serialized options at its default, so adding it kept the run keys of
    /// every float32 run (the cache key hashes the serialized options).
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public Precision Precision { get; set; } = Precision.Float32;

    /// <summary>The TorchSharp type of <see cref="Precision"/>.</summary>
    [JsonIgnore]
    public ScalarType DType => Precision == Precision.Float64 ? ScalarType.Float64 : ScalarType.Float32;

    public IEnumerable<(string Key, string Message)> Validate()
    {
        if (Kind == ModelKind.Transformer && DModel % Heads != 0)
        {
            yield return ("Heads", $"Heads = {Heads} must divide DModel = {DModel}");
        }

        if (Kind == ModelKind.Mlp && Init == Initialization.ScaledNormal)
        {
            yield return ("Init", "Init = scalednormal is the transformer's initialization (Nanda/Omnigrok); allowed for Kind = mlp: pytorchdefault");
        }

        // The MLP has no normalization layer and none is built for it: no paper here trains an MLP with one (Omnigrok's
        // MLPs, og-teacher-student, og-lu and og-images, set no Norm), and where a LayerNorm would sit in an MLP (after
        // which layers, with gains or not, which weights count as scale-invariant) is a choice no claim specifies.
        // Refused rather than silently ignored.
        if (Kind == ModelKind.Mlp && Norm != Normalization.None)
        {
            string norm = Norm.ToString().ToLowerInvariant();
            yield return ("Norm", $"Norm = {norm} is a transformer option (the MLP has no normalization layers); allowed for Kind = mlp: none");
        }

        if (Kind == ModelKind.Mlp && (Positions != PositionEncoding.Learned || WithoutBiases))
        {
            yield return ("Model", "Positions and WithoutBiases are transformer options; allowed for Kind = mlp: Positions = learned, "
                + "WithoutBiases = false");
        }

        if (Activation == Activation.LeakyRelu && Kind is not (ModelKind.Mlp or ModelKind.ToyAddition))
        {
            yield return ("Activation", "leakyrelu is built for Kind = mlp and toyaddition only; allowed here: relu, tanh");
        }

        foreach (var problem in ToyAdditionProblems())
        {
            yield return problem;
        }

        foreach (var problem in RecurrentAndGraphProblems())
        {
            yield return problem;
        }

        if (Hidden.Any(h => h < 1))
        {
            yield return ("Hidden", "every hidden width must be at least 1");
        }
    }

    /// <summary>Toy addition's decoder is an MLP on the summed representation: the MLP's options, and a representation width.</summary>
    private IEnumerable<(string Key, string Message)> ToyAdditionProblems()
    {
        if (Kind != ModelKind.ToyAddition)
        {
            if (RepresentationSpread != 0)
            {
                yield return ("RepresentationSpread", "applies to Kind = toyaddition only (leave it out)");
            }

            yield break;
        }

        if (Norm != Normalization.None || Init != Initialization.PyTorchDefault || Positions != PositionEncoding.Learned || WithoutBiases)
        {
            yield return ("Model", "Kind = toyaddition takes Norm = none, Init = pytorchdefault and no transformer options");
        }

        if (Embedding < 1)
        {
            yield return ("Embedding", $"{Embedding}; Kind = toyaddition needs a representation width of at least 1");
        }
    }

    /// <summary>The LSTM and the GCNN are built as their papers' code builds them: no normalization, PyTorch's initialization.</summary>
    private IEnumerable<(string Key, string Message)> RecurrentAndGraphProblems()
    {
        if (Kind is not (ModelKind.Lstm or ModelKind.Gcnn))
        {
            yield break;
        }

        string kind = Kind.ToString().ToLowerInvariant();
        if (Norm != Normalization.None || Init != Initialization.PyTorchDefault || Positions != PositionEncoding.Learned || WithoutBiases)
        {
            yield return ("Model", $"Kind = {kind} takes Norm = none, Init = pytorchdefault and no transformer options");
        }

        if (Kind == ModelKind.Lstm && Embedding < 1)
        {
            yield return ("Embedding", $"{Embedding}; Kind = lstm needs an embedding width of at least 1");
        }

        if (Kind == ModelKind.Gcnn && Hidden.Length == 0)
        {
            yield return ("Hidden", "Kind = gcnn needs at least one graph-convolution width");
        }
    }
}
