using System.Text;
using Grokking.Runtime;
using static TorchSharp.torch;

namespace Grokking.Training;

/// <summary>
/// Named float32 tensors in one file (magic, count, then name / shape / data per tensor), written atomically.
/// Small and explicit so checkpoints do not depend on TorchSharp's or Python's serialization formats.
/// </summary>
public static class TensorFile
{
    private const uint Magic = 0x4B524F47; // "GORK"

    public static void Save(string path, IReadOnlyDictionary<string, Tensor> tensors)
    {
        AtomicFile.Write(path, stream =>
        {
            using var w = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true);
            w.Write(Magic);
            w.Write(tensors.Count);
            foreach (var (name, tensor) in tensors.OrderBy(t => t.Key, StringComparer.Ordinal))
            {
                using var cpu = tensor.detach().to(ScalarType.Float32).cpu().contiguous();
                w.Write(name);
                w.Write((int)cpu.dim());
                foreach (long d in cpu.shape)
                {
                    w.Write(d);
                }

                var data = cpu.data<float>().ToArray();
                var bytes = new byte[data.Length * sizeof(float)];
                Buffer.BlockCopy(data, 0, bytes, 0, bytes.Length);
                w.Write(bytes);
            }
        });
    }

    public static Dictionary<string, Tensor> Load(string path, Device device)
    {
        using var stream = File.OpenRead(path);
        using var r = new BinaryReader(stream, Encoding.UTF8);
        if (r.ReadUInt32() != Magic)
        {
            throw new InvalidDataException($"{path} is not a tensor file");
        }

        int count = r.ReadInt32();
        var result = new Dictionary<string, Tensor>(count, StringComparer.Ordinal);
        for (int i = 0; i < count; i++)
        {
            string name = r.ReadString();
            int dims = r.ReadInt32();
            var shape = new long[dims];
            for (int d = 0; d < dims; d++)
            {
                shape[d] = r.ReadInt64();
            }

            long n = shape.Aggregate(1L, (a, b) => a * b);
            var bytes = r.ReadBytes(checked((int)(n * sizeof(float))));
            var data = new float[n];
            Buffer.BlockCopy(bytes, 0, data, 0, bytes.Length);
            result[name] = tensor(data, shape, ScalarType.Float32).to(device);
        }

        return result;
    }
}
