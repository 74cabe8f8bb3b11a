namespace Grokking.Configuration;

public enum ModularOperation
{
    Add,
    Subtract,
    Multiply,
    Divide,
}
