using System.IO.Compression;

namespace Grokking.Data;

/// <summary>
/// LeCun's IDX format (MNIST, Fashion-MNIST): two zero bytes, a type code (0x08 = unsigned byte), the number of
/// dimensions, each dimension as a big-endian 32-bit integer, then the values in row-major order. Files may be
/// gzip-compressed (Debian's dataset-fashion-mnist ships them so); the gzip magic bytes decide, not the name.
/// </summary>
public sealed class IdxFile
{
    private const byte UnsignedByte = 0x08;

    private IdxFile(int[] shape, byte[] values)
    {
        Shape = shape;
        Values = values;
    }

    public int[] Shape { get; }

    public byte[] Values { get; }

    public static IdxFile Read(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"IDX file not found: {path}", path);
        }

        using var file = File.OpenRead(path);
        bool gzip = file.ReadByte() == 0x1f && file.ReadByte() == 0x8b;
        file.Position = 0;
        using Stream stream = gzip ? new GZipStream(file, CompressionMode.Decompress) : file;
        try
        {
            return Read(stream, path);
        }
        catch (InvalidDataException e) when (gzip && !e.Message.StartsWith(path, StringComparison.Ordinal))
        {
            // GZipStream's own message ("unsupported compression method", "block type") names no file.
            throw new InvalidDataException(
                $"{path}: starts like gzip but does not decompress ({e.Message.TrimEnd('.')}); restore the file from its source", e);
        }
    }

    public static IdxFile Read(Stream stream, string name)
    {
        var header = ReadExactly(stream, 4, name, "header");
        if (header[0] != 0 || header[1] != 0)
        {
            throw new InvalidDataException($"{name}: not an IDX file (the first two bytes must be zero)");
        }

        if (header[2] != UnsignedByte)
        {
            throw new InvalidDataException($"{name}: IDX type 0x{header[2]:x2} is not supported (only 0x08, unsigned bytes)");
        }

        int dims = header[3];
        if (dims is < 1 or > 4)
        {
            throw new InvalidDataException($"{name}: {dims} dimensions; expected 1 to 4");
        }

        var shape = new int[dims];
        long count = 1;
        var sizes = ReadExactly(stream, 4 * dims, name, "dimensions");
        for (int d = 0; d < dims; d++)
        {
            shape[d] = (sizes[4 * d] << 24) | (sizes[(4 * d) + 1] << 16) | (sizes[(4 * d) + 2] << 8) | sizes[(4 * d) + 3];
            if (shape[d] <= 0)
            {
                throw new InvalidDataException($"{name}: dimension {d} has size {shape[d]}");
            }

            count *= shape[d];
        }

        if (count > int.MaxValue)
        {
            throw new InvalidDataException($"{name}: {count} values are too many for one array");
        }

        return new IdxFile(shape, ReadExactly(stream, (int)count, name, "values"));
    }

    private static byte[] ReadExactly(Stream stream, int count, string name, string part)
    {
        var buffer = new byte[count];
        int read = 0;
        while (read < count)
        {
            int n = stream.Read(buffer, read, count - read);
            if (n == 0)
            {
                throw new InvalidDataException($"{name}: truncated in its {part} ({read} of {count} bytes)");
            }

            read += n;
        }

        return buffer;
    }
}
