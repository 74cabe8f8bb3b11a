namespace Grokking.Configuration;

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
