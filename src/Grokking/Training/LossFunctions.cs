using Grokking.Runtime;
using Grokking.Data;
using static TorchSharp.torch;

namespace Grokking.Training;

/// <summary>Per-member losses and accuracies of batched outputs [K, B, C] against labels.</summary>
public static class LossFunctions
{
    /// <summary>
    /// Per-example loss [K, B]: cross-entropy for classification; mean squared error over outputs for regression and
    /// over classes against one-hot targets for one-hot regression (PyTorch's MSELoss with mean reduction, per example).
    /// </summary>
    public static Tensor PerExample(Tensor output, Tensor labels, TaskKind task) => task switch
    {
        TaskKind.Classification => output.log_softmax(-1).gather(2, labels.unsqueeze(2)).squeeze(2).neg(),
        TaskKind.OneHotRegression => output.sub(nn.functional.one_hot(labels, output.shape[^1]).to_type(output.dtype)).Squared().mean([-1]),
        _ => output.sub(labels).Squared().mean([-1]),
    };

    /// <summary>Per-example correctness [K, B] as float: argmax matches, or squared error below the threshold.</summary>
    public static Tensor Correct(Tensor output, Tensor labels, Tensor perExampleLoss, TaskKind task, double threshold) => task == TaskKind.Regression
        ? perExampleLoss.LessThan(threshold).to(ScalarType.Float32)
        : output.argmax(-1).eq(labels).to(ScalarType.Float32);
}
