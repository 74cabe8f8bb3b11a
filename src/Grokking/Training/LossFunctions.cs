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

    /// <summary>
    /// Per-example correctness [K, B] as float: argmax matches, squared error below the threshold, or (nearest template) the
    /// template nearest the output is the label's, <paramref name="templates"/> [K, C, D] being each member's templates.
    /// </summary>
    public static Tensor Correct(
        Tensor output, Tensor labels, Tensor perExampleLoss, TaskKind task, double threshold, Tensor? templates = null) => task switch
    {
        TaskKind.Regression => perExampleLoss.LessThan(threshold).to(ScalarType.Float32),
        TaskKind.NearestTemplate => NearestTemplate(output, templates ?? throw new ArgumentNullException(nameof(templates)))
            .eq(NearestTemplate(labels, templates)).to(ScalarType.Float32),
        _ => output.argmax(-1).eq(labels).to(ScalarType.Float32),
    };

    /// <summary>
    /// The index [K, B] of the template nearest each vector of <paramref name="vectors"/> [K, B, D] in Euclidean distance (a
    /// label, which is its own template, at distance 0). |v - t|^2 = |v|^2 - 2 v.t + |t|^2, and |v|^2 is the same for every t.
    /// </summary>
    public static Tensor NearestTemplate(Tensor vectors, Tensor templates) =>
        templates.Squared().sum(-1).unsqueeze(1).sub(vectors.bmm(templates.transpose(1, 2)).mul(2)).argmin(-1);
}
