namespace Grokking.Configuration;

public enum OptimizerKind
{
    /// <summary>SGD with the L2 term added to the loss (weight decay as a penalty, as MC and PB use it).</summary>
    Sgd,
    Adam,
    AdamW,
}
