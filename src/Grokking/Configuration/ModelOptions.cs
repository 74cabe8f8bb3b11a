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

        if (Kind == ModelKind.Mlp && (Positions != PositionEncoding.Learned || WithoutBiases || Norm == Normalization.PostLayerNorm))
        {
            yield return ("Model", "Positions, WithoutBiases and Norm = postlayernorm are transformer options; "
                + "allowed for Kind = mlp: Positions = learned, WithoutBiases = false, Norm = none or layernorm");
        }

        if (Hidden.Any(h => h < 1))
        {
            yield return ("Hidden", "every hidden width must be at least 1");
        }
    }
}
