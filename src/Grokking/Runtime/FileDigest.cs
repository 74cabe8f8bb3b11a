using System.Security.Cryptography;

namespace Grokking.Runtime;

/// <summary>
/// SHA-256 of a file, whole or of its first bytes, as lower-case hex: what manifests and checkpoints record so that a
/// file read back can be checked against what was written. A prefix digest serves files that only grow between
/// checkpoints (metrics rows, per-step series): the rows up to a checkpoint are its first bytes.
/// </summary>
public static class FileDigest
{
    public static string Of(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexString(SHA256.HashData(stream)).ToLowerInvariant();
    }

    public static string Of(byte[] bytes) => Convert.ToHexString(SHA256.HashData(bytes)).ToLowerInvariant();

    /// <summary>The digest of the file's first <paramref name="length"/> bytes, or null when the file is shorter.</summary>
    public static string? OfPrefix(string path, long length)
    {
        using var stream = File.OpenRead(path);
        if (stream.Length < length)
        {
            return null;
        }

        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[1 << 16];
        long left = length;
        while (left > 0)
        {
            int read = stream.Read(buffer, 0, (int)Math.Min(buffer.Length, left));
            if (read == 0)
            {
                return null;
            }

            hash.AppendData(buffer, 0, read);
            left -= read;
        }

        return Convert.ToHexString(hash.GetHashAndReset()).ToLowerInvariant();
    }
}
