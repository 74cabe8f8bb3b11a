using System.ComponentModel.DataAnnotations;

namespace Grokking.Configuration;

public enum Activation
{
    Relu,
    Tanh,
}
