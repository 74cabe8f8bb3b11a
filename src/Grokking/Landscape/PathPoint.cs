namespace Grokking.Landscape;

/// <summary>
/// The metrics of one point of a path. Losses are cross-entropy (mean over the split) without and with MC's L2
/// term (weight decay / 2 * |w|^2, the term SGD's weight decay minimizes); errors are 1 - accuracy;
/// <c>TrainMistakes</c> counts misclassified training examples; <c>GradNorm</c> is MC's stochastic gradient
/// norm (mean over the training minibatches of each minibatch's cross-entropy gradient norm).
/// </summary>
public sealed record PathPoint(
    double T,
    double TrainLoss,
    double TrainLossL2,
    double ValLoss,
    double ValLossL2,
    double TrainError,
    double ValError,
    int TrainMistakes,
    double GradNorm,
    double WeightNorm);
