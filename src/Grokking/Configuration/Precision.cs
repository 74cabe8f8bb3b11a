namespace Grokking.Configuration;

/// <summary>The floating-point type of parameters, inputs and arithmetic.</summary>
// The configuration values are PyTorch's dtype names (Model:Precision = float64), so the members carry type names.
#pragma warning disable CA1720
public enum Precision
{
    Float32,

    /// <summary>As Omnigrok's MNIST and transformer notebooks run (torch.set_default_dtype(torch.float64)).</summary>
    Float64,
}
#pragma warning restore CA1720
