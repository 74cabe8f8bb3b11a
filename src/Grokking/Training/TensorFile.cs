using System.Runtime.InteropServices;
using System.Text;
using Grokking.Runtime;
using static TorchSharp.torch;

namespace Grokking.Training;

/// <summary>
/// Named tensors in one file, written atomically. Small and explicit so checkpoints do not depend on TorchSharp's or
/// Python's serialization formats. Two layouts, both read by <see cref="Load"/>:
/// <list type="bullet">
/// <item>"GORK", the original: magic, count, then name / rank / shape / float32 data per tensor. A file whose tensors
/// are all float32 (every float32 run's weights and moments) is written in it byte for byte as before, so existing
/// caches and trajectories are unaffected.</item>
/// <item>"GRK2": the same with a type code (one byte, libtorch's ScalarType number) after each name and the data in
/// that type. Written when some tensor is float64 (a Model:Precision = float64 run, which it keeps exactly) or int64
/// (step counters, exact past 2^24).</item>
/// </list>
/// Other types (bool, narrower integers, half precision) are stored as float32, as they always were.
/// </summary>
public static class TensorFile
{
    private const uint Float32Magic = 0x4B524F47; // "GORK"
    private const uint TypedMagic = 0x324B5247; // "GRK2"

    public static void Save(string path, IReadOnlyDictionary<string, Tensor> tensors)
    {
        var stored = tensors.OrderBy(t => t.Key, StringComparer.Ordinal).Select(t => (t.Key, t.Value, Type: StoredType(t.Value.dtype))).ToList();
        bool typed = stored.Any(t => t.Type != ScalarType.Float32);
        AtomicFile.Write(path, stream =>
        {
            using var w = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true);
            w.Write(typed ? TypedMagic : Float32Magic);
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
        });
    }

    public static Dictionary<string, Tensor> Load(string path, Device device)
    {
        using var stream = File.OpenRead(path);
        using var r = new BinaryReader(stream, Encoding.UTF8);
        uint magic = r.ReadUInt32();
        if (magic != Float32Magic && magic != TypedMagic)
        {
            throw new InvalidDataException($"{path} is not a tensor file");
        }

        int count = r.ReadInt32();
        var result = new Dictionary<string, Tensor>(count, StringComparer.Ordinal);
        for (int i = 0; i < count; i++)
        {
            string name = r.ReadString();
            var type = magic == TypedMagic ? (ScalarType)r.ReadByte() : ScalarType.Float32;
            if (StoredType(type) != type)
            {
                throw new InvalidDataException($"{path}: tensor '{name}' has type code {(int)type}; a tensor file holds float32, float64 and int64");
            }

            int dims = r.ReadInt32();
            var shape = new long[dims];
            for (int d = 0; d < dims; d++)
            {
                shape[d] = r.ReadInt64();
            }

            long n = shape.Aggregate(1L, (a, b) => a * b);
            var bytes = r.ReadBytes(checked((int)(n * (type == ScalarType.Float32 ? sizeof(float) : sizeof(long)))));
            result[name] = (type switch
            {
                ScalarType.Float64 => tensor(MemoryMarshal.Cast<byte, double>(bytes).ToArray(), shape, type),
                ScalarType.Int64 => tensor(MemoryMarshal.Cast<byte, long>(bytes).ToArray(), shape, type),
                _ => tensor(MemoryMarshal.Cast<byte, float>(bytes).ToArray(), shape, type),
            }).to(device);
        }

        return result;
    }

    /// <summary>The type a tensor is stored in: float64 and int64 as they are, every other type as float32.</summary>
    private static ScalarType StoredType(ScalarType type) => type is ScalarType.Float64 or ScalarType.Int64 ? type : ScalarType.Float32;
}
