namespace Grokking.Configuration;

public enum Normalization
{
    /// <summary>No normalization (MC, Omnigrok's transformer).</summary>
    None,

    /// <summary>Pre-norm blocks, LayerNorm inside the MLP block and before the unembedding (PB, Fig. 3).</summary>
    LayerNorm,

    /// <summary>
    /// Post-norm blocks, LN(x + Attn(x)) then LN(x + MLP(x)), and no final LayerNorm: the original Transformer's
    /// order, which Power et al.'s openai/grok model (PG) uses.
    /// </summary>
    PostLayerNorm,
}
