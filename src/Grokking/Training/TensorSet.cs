using static TorchSharp.torch;

namespace Grokking.Training;

/// <summary>Named tensors owned together (a weights snapshot): disposed as one.</summary>
public sealed class TensorSet(Dictionary<string, Tensor> tensors) : IDisposable
{
    public IReadOnlyDictionary<string, Tensor> Tensors => tensors;

    public void SaveTo(string path)
    {
        TensorFile.Save(path, tensors);
        Dispose();
    }

    public void Dispose()
    {
        foreach (var t in tensors.Values)
        {
            t.Dispose();
        }
    }
}
