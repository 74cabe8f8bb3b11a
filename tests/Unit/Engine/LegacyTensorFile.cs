using System.Runtime.InteropServices;
using System.Text;
using static TorchSharp.torch;

namespace Grokking.Tests.Unit.Engine;

/// <summary>
/// Writes the two layouts TensorFile wrote before its checksummed one, byte for byte as it did (name order; "GORK" for all
/// float32, "GRK2" with a type byte per tensor otherwise), so that tests can show existing caches stay readable.
/// </summary>
internal static class LegacyTensorFile
{
    public static void Save(string path, IReadOnlyDictionary<string, Tensor> tensors)
    {
        var stored = tensors.OrderBy(t => t.Key, StringComparer.Ordinal)
            .Select(t => (t.Key, t.Value, Type: t.Value.dtype is ScalarType.Float64 or ScalarType.Int64 ? t.Value.dtype : ScalarType.Float32))
            .ToList();
        bool typed = stored.Any(t => t.Type != ScalarType.Float32);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var w = new BinaryWriter(File.Create(path), Encoding.UTF8);
        w.Write(typed ? 0x324B5247u : 0x4B524F47u);
        w.Write(stored.Count);
        foreach (var (name, tensor, type) in stored)
        {
            using var cpu = tensor.detach().to(type).cpu().contiguous();
            w.Write(name);
            if (typed)
            {
                w.Write((byte)type);
            }

            w.Write((int)cpu.dim());
            foreach (long d in cpu.shape)
            {
                w.Write(d);
            }

            w.Write(type switch
            {
                ScalarType.Float64 => MemoryMarshal.AsBytes<double>(cpu.data<double>().ToArray()).ToArray(),
                ScalarType.Int64 => MemoryMarshal.AsBytes<long>(cpu.data<long>().ToArray()).ToArray(),
                _ => MemoryMarshal.AsBytes<float>(cpu.data<float>().ToArray()).ToArray(),
            });
        }
    }
}
