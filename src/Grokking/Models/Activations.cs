using Grokking.Configuration;
using static TorchSharp.torch;

namespace Grokking.Models;

/// <summary>The hidden-layer nonlinearities of the MLP-style models (Model:Activation).</summary>
public static class Activations
{
    /// <summary>The negative slope of <see cref="Activation.LeakyRelu"/>: Omnigrok's toy decoder's torch.nn.LeakyReLU(0.2).</summary>
    public const double LeakySlope = 0.2;

    public static Tensor Apply(Tensor x, Activation activation) => activation switch
    {
        Activation.Tanh => x.tanh(),
        Activation.LeakyRelu => nn.functional.leaky_relu(x, LeakySlope),
        _ => x.relu(),
    };
}
