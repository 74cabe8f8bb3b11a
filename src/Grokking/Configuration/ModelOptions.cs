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

public enum EmbeddingInit
{
    /// <summary>N(0, 1): PyTorch's nn.Embedding default.</summary>
    Unit,

    /// <summary>N(0, 1/d_model): the Omnigrok/Nanda transformer's embeddings.</summary>
    Scaled,
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

    /// <summary>Token and position embeddings; linear layers always use PyTorch's default.</summary>
    public EmbeddingInit EmbeddingInit { get; set; } = EmbeddingInit.Unit;

    /// <summary>PyTorch's default initialization multiplied by this factor (Omnigrok's alpha).</summary>
    [Range(1e-6, 1e6)]
    public double InitScale { get; set; } = 1.0;

    public IEnumerable<(string Key, string Message)> Validate()
    {
        if (Kind == ModelKind.Transformer && DModel % Heads != 0)
        {
            yield return ("Heads", $"Heads = {Heads} must divide DModel = {DModel}");
        }

        if (Hidden.Any(h => h < 1))
        {
            yield return ("Hidden", "every hidden width must be at least 1");
        }
    }
}
