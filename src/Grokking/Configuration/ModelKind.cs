using System.ComponentModel.DataAnnotations;

namespace Grokking.Configuration;

public enum ModelKind
{
    Transformer,
    Mlp,
}
