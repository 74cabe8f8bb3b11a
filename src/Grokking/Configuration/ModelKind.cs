namespace Grokking.Configuration;

public enum ModelKind
{
    Transformer,
    Mlp,

    /// <summary>Embedding, a stacked LSTM and a linear read-out of the last step (Data:Kind = reviews).</summary>
    Lstm,

    /// <summary>Edge-conditioned graph convolutions, sum pooling and an MLP head (Data:Kind = molecules).</summary>
    Gcnn,

    /// <summary>
    /// Toy addition's model (Data:Kind = toyaddition): a learned representation E_i in R^Embedding per digit and an MLP
    /// decoder Dec(E_i + E_j) of widths Embedding-Hidden-TemplateDimension (Omnigrok section 5.1, Liu et al. 2022).
    /// </summary>
    ToyAddition,
}
