using System.ComponentModel.DataAnnotations;

namespace Grokking.Configuration;

public enum ModelKind
{
    Transformer,
    Mlp,
}

public enum Normalization
{
    /// <summary>No normalization (MC, Omnigrok's transformer).</summary>
    None,

    /// <summary>Pre-norm blocks, LayerNorm inside the MLP block and before the unembedding (PB, Fig. 3).</summary>
    LayerNorm,
}

public enum Activation
{
    Relu,
    Tanh,
}

/// <summary>How a model's parameters are drawn before the member's init scale (alpha) multiplies them.</summary>
public enum Initialization
{
    /// <summary>
    /// PyTorch's layer defaults: linear weights and biases U(-1/sqrt(fan_in), 1/sqrt(fan_in)), embeddings N(0, 1)
    /// as nn.Embedding.
    /// </summary>
    PyTorchDefault,

    /// <summary>
    /// The transformer of Nanda et al.'s progress-measures code, which Omnigrok's modular-addition notebooks copy
    /// verbatim: every weight matrix (token and position embeddings, W_Q, W_K, W_V, W_O, W_in, W_out)
    /// N(0, 1/d_model), the unembedding N(0, 1/d_vocab), MLP biases zero (the model has no other biases).
    /// Transformers only.
    /// </summary>
    ScaledNormal,
}

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

    public Initialization Init { get; set; } = Initialization.PyTorchDefault;

    /// <summary>The initialization multiplied by this factor (Omnigrok's alpha).</summary>
    [Range(1e-6, 1e6)]
    public double InitScale { get; set; } = 1.0;

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

        if (Hidden.Any(h => h < 1))
        {
            yield return ("Hidden", "every hidden width must be at least 1");
        }
    }
}
