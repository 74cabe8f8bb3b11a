namespace Grokking.Configuration;

public enum Activation
{
    Relu,
    Tanh,
}
