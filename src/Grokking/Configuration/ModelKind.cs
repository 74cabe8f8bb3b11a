namespace Grokking.Configuration;

public enum ModelKind
{
    Transformer,
    Mlp,
}
