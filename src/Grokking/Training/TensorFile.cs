using System.Runtime.InteropServices;
using System.Security.Cryptography;
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
/// that type, for float64 (a Model:Precision = float64 run, which it keeps exactly) and int64 (step counters, exact past
/// 2^24).</item>
/// <item>"GRK3", written for every new file: the GRK2 layout followed by the SHA-256 of everything before it, so that
/// a flipped byte, which the exact length checks of the older layouts cannot see, is damage too.</item>
/// </list>
/// The two older layouts are still read exactly as they always were (lengths checked, no checksum), so existing caches
/// stay readable.
/// Other types (bool, narrower integers, half precision) are stored as float32, as they always were.
/// </summary>
public static class TensorFile
{
    private const uint Float32Magic = 0x4B524F47; // "GORK"
    private const uint TypedMagic = 0x324B5247; // "GRK2"
    private const uint CheckedMagic = 0x334B5247; // "GRK3"
    private const int ChecksumLength = 32; // SHA-256

    // libtorch's limit; a larger rank can only come from a damaged header.
    private const int MaxRank = 64;

    public static void Save(string path, IReadOnlyDictionary<string, Tensor> tensors)
    {
        var stored = tensors.OrderBy(t => t.Key, StringComparer.Ordinal).Select(t => (t.Key, t.Value, Type: StoredType(t.Value.dtype))).ToList();
        AtomicFile.Write(path, file =>
        {
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            using (var hashed = new HashingStream(file, hash))
            using (var w = new BinaryWriter(hashed, Encoding.UTF8, leaveOpen: true))
            {
                w.Write(CheckedMagic);
                w.Write(stored.Count);
                foreach (var (name, tensor, type) in stored)
                {
                    WriteTensor(w, name, tensor, type);
                }
            }

            file.Write(hash.GetHashAndReset());
        });
    }

    private static void WriteTensor(BinaryWriter w, string name, Tensor tensor, ScalarType type)
    {
        using var cpu = tensor.detach().to(type).cpu().contiguous();
        w.Write(name);
        w.Write((byte)type);
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

    /// <summary>
    /// Reads every tensor of a file, exactly: a file shorter than its header and shapes say, one with bytes after the
    /// last tensor, another format, a rank or shape out of range or a name twice is a <see cref="DamagedFileException"/>
    /// naming the file and what is wrong. A short read is never padded with zeros.
    /// </summary>
    public static Dictionary<string, Tensor> Load(string path, Device device)
    {
        using var stream = File.OpenRead(path);
        bool checksumMatches = ChecksumMatches(stream, out bool isChecked);
        using var reader = new ExactReader(stream, path, isChecked ? stream.Length - ChecksumLength : stream.Length);
        uint magic = reader.UInt32("the header");
        if (magic is not (Float32Magic or TypedMagic or CheckedMagic))
        {
            throw reader.Damaged($"not a tensor file: it starts with 0x{magic:X8}, not \"GORK\", \"GRK2\" or \"GRK3\"");
        }

        // A damaged checked file is read on only to say what is wrong where the layout shows it (cut short, padded).
        var result = ReadTensors(reader, magic != Float32Magic, device);
        if (!checksumMatches)
        {
            Dispose(result);
            throw reader.Damaged("content does not match its checksum");
        }

        return result;
    }

    /// <summary>
    /// Whether the file is a checked ("GRK3") one (<paramref name="isChecked"/>) and, if so, whether the SHA-256 of
    /// everything before its last 32 bytes equals them; true for the older layouts, which carry no checksum.
    /// </summary>
    private static bool ChecksumMatches(FileStream stream, out bool isChecked)
    {
        var magic = new byte[4];
        isChecked = stream.Length >= magic.Length + ChecksumLength && stream.Read(magic) == magic.Length
            && BitConverter.ToUInt32(magic) == CheckedMagic;
        bool matches = true;
        if (isChecked)
        {
            stream.Position = 0;
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            var buffer = new byte[1 << 16];
            for (long left = stream.Length - ChecksumLength; left > 0; left -= buffer.Length)
            {
                int chunk = (int)Math.Min(buffer.Length, left);
                stream.ReadExactly(buffer, 0, chunk);
                hash.AppendData(buffer, 0, chunk);
            }

            var stored = new byte[ChecksumLength];
            stream.ReadExactly(stored);
            matches = hash.GetHashAndReset().AsSpan().SequenceEqual(stored);
        }

        stream.Position = 0;
        return matches;
    }

    private static Dictionary<string, Tensor> ReadTensors(ExactReader reader, bool typed, Device device)
    {
        int count = reader.Int32("the header");
        if (count < 0)
        {
            throw reader.Damaged($"the header gives {count} tensors");
        }

        var result = new Dictionary<string, Tensor>(Math.Min(count, 1024), StringComparer.Ordinal);
        try
        {
            for (int i = 0; i < count; i++)
            {
                var (name, loaded) = ReadTensor(reader, typed, i, device);
                if (!result.TryAdd(name, loaded))
                {
                    loaded.Dispose();
                    throw reader.Damaged($"tensor '{name}' appears twice");
                }
            }

            if (reader.Left > 0)
            {
                throw reader.Damaged($"{reader.Left} trailing byte(s) after its {count} tensor(s)");
            }
        }
        catch
        {
            Dispose(result);
            throw;
        }

        return result;
    }

    private static void Dispose(Dictionary<string, Tensor> tensors)
    {
        foreach (var t in tensors.Values)
        {
            t.Dispose();
        }
    }

    private static (string Name, Tensor Tensor) ReadTensor(ExactReader reader, bool typed, int index, Device device)
    {
        string name = reader.String($"the name of tensor {index}");
        var type = typed ? (ScalarType)reader.Byte($"the type of tensor '{name}'") : ScalarType.Float32;
        if (StoredType(type) != type)
        {
            throw reader.Damaged($"tensor '{name}' has type code {(int)type}; a tensor file holds float32, float64 and int64");
        }

        int dims = reader.Int32($"the rank of tensor '{name}'");
        if (dims is < 0 or > MaxRank)
        {
            throw reader.Damaged($"tensor '{name}' has rank {dims}; a rank is 0 to {MaxRank}");
        }

        var shape = new long[dims];
        for (int d = 0; d < dims; d++)
        {
            shape[d] = reader.Int64($"the shape of tensor '{name}'");
            if (shape[d] < 0)
            {
                throw reader.Damaged($"tensor '{name}' has a negative size {shape[d]} in dimension {d}");
            }
        }

        long elementSize = type == ScalarType.Float32 ? sizeof(float) : sizeof(long);
        long size;
        try
        {
            size = shape.Aggregate(elementSize, (a, b) => checked(a * b));
        }
        catch (OverflowException)
        {
            throw reader.Damaged($"tensor '{name}' has shape [{string.Join(", ", shape)}], over 2^63 bytes");
        }

        var bytes = reader.Bytes(size, $"tensor '{name}'");
        var loaded = type switch
        {
            ScalarType.Float64 => tensor(MemoryMarshal.Cast<byte, double>(bytes).ToArray(), shape, type),
            ScalarType.Int64 => tensor(MemoryMarshal.Cast<byte, long>(bytes).ToArray(), shape, type),
            _ => tensor(MemoryMarshal.Cast<byte, float>(bytes).ToArray(), shape, type),
        };
        return (name, loaded.to(device));
    }

    /// <summary>The type a tensor is stored in: float64 and int64 as they are, every other type as float32.</summary>
    private static ScalarType StoredType(ScalarType type) => type is ScalarType.Float64 or ScalarType.Int64 ? type : ScalarType.Float32;

    /// <summary>
    /// Reads a tensor file front to back, checking before every read that the file still holds the bytes it needs, so
    /// that the message says what was being read and how much was left.
    /// </summary>
    /// <param name="length">The bytes that hold tensors: a checked file's checksum follows them.</param>
    private sealed class ExactReader(FileStream stream, string path, long length) : IDisposable
    {
        private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
        private readonly BinaryReader reader = new(stream, Encoding.UTF8, leaveOpen: true);
        private long position;

        public long Left => length - position;

        public DamagedFileException Damaged(string problem) => new(path, problem);

        public void Dispose() => reader.Dispose();

        public uint UInt32(string what) => Read(sizeof(uint), what, r => r.ReadUInt32());

        public int Int32(string what) => Read(sizeof(int), what, r => r.ReadInt32());

        public long Int64(string what) => Read(sizeof(long), what, r => r.ReadInt64());

        public byte Byte(string what) => Read(1, what, r => r.ReadByte());

        /// <summary>A string as BinaryWriter writes it: its UTF-8 length as a 7-bit encoded integer, then the bytes.</summary>
        public string String(string what)
        {
            int count = 0;
            for (int shift = 0; ; shift += 7)
            {
                byte b = Byte(what);
                if (shift == 28 && b > 0x07)
                {
                    throw Damaged($"{what} has a length prefix over 2^31");
                }

                count |= (b & 0x7F) << shift;
                if ((b & 0x80) == 0)
                {
                    break;
                }
            }

            try
            {
                return StrictUtf8.GetString(Bytes(count, what));
            }
            catch (DecoderFallbackException)
            {
                throw Damaged($"{what} is not UTF-8");
            }
        }

        public byte[] Bytes(long count, string what)
        {
            Need(count, what);
            if (count > Array.MaxLength)
            {
                throw Damaged($"{what} needs {count} bytes, more than one array holds");
            }

            return Read((int)count, what, r => r.ReadBytes((int)count));
        }

        private T Read<T>(int count, string what, Func<BinaryReader, T> read)
        {
            Need(count, what);
            long before = stream.Position;
            var value = read(reader);
            if (stream.Position - before != count)
            {
                // The file shrank while it was read (another process truncating it): as damaged as a short file.
                throw Damaged($"truncated: {what} needs {count} bytes, {stream.Position - before} read");
            }

            position += count;
            return value;
        }

        private void Need(long count, string what)
        {
            if (count > Left)
            {
                throw Damaged($"truncated: {what} needs {count} bytes, {Left} left");
            }
        }
    }
}
