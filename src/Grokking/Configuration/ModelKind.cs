namespace Grokking.Configuration;

public enum ModelKind
{
    Transformer,
    Mlp,

    /// <summary>Embedding, a stacked LSTM and a linear read-out of the last step (Data:Kind = reviews).</summary>
    Lstm,

    /// <summary>Edge-conditioned graph convolutions, sum pooling and an MLP head (Data:Kind = molecules).</summary>
    Gcnn,
}
