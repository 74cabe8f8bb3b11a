namespace Grokking.Configuration;

public enum Normalization
{
    /// <summary>No normalization (MC, Omnigrok's transformer).</summary>
    None,

    /// <summary>Pre-norm blocks, LayerNorm inside the MLP block and before the unembedding (PB, Fig. 3).</summary>
    LayerNorm,
}
