using Grokking.Training;

namespace Grokking.Cli;

/// <summary>What the bench's own options ask for.</summary>
/// <param name="Python">
/// The interpreter for the PyTorch rows; null: the first of <see cref="PyTorchReference.DefaultInterpreters"/> that imports torch.
/// </param>
internal sealed record BenchSettings(int Members, int Epochs, int PathPoints, int[] DModels, bool WithMetrics, string? Python)
{
    public IReadOnlyList<string> Interpreters => Python is null ? PyTorchReference.DefaultInterpreters : [Python];

    /// <summary>The interpreter named in the 'not available' row.</summary>
    public string ShownInterpreter => Python ?? "python3";
}
