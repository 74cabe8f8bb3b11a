namespace Grokking.Configuration;

public enum Activation
{
    Relu,
    Tanh,

    /// <summary>
    /// LeakyReLU with negative slope 0.2: the activation of Omnigrok's toy-addition decoder (its notebook's
    /// torch.nn.LeakyReLU(0.2)). MLP-style models only (Kind = mlp, toyaddition); the transformer refuses it.
    /// </summary>
    LeakyRelu,
}
