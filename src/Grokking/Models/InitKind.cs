namespace Grokking.Models;

/// <summary>How one parameter is drawn at initialization, before the member's init scale multiplies it.</summary>
public enum InitKind
{
    /// <summary>U(-b, b), b = 1/sqrt(fan): PyTorch's default for nn.Linear weights and biases (fan = fan_in).</summary>
    Uniform,

    /// <summary>N(0, 1/fan): fan 1 is nn.Embedding's default, fan d_model the Nanda/Omnigrok weights.</summary>
    Normal,

    Ones,
    Zeros,
}
