using System.Text;
using System.Text.Json;
using Grokking.Runtime;
using static TorchSharp.torch;

namespace Grokking.Training;

/// <summary>
/// What a checkpoint covers besides its tensors: the length and SHA-256 of each of the run's series files (and the members
/// list) as they were when state.bin was committed, stored inside state.bin as the tensor <see cref="TensorName"/> (the
/// UTF-8 bytes of a small JSON object, one int64 per byte). A resumed run checks each file's first <c>Length</c> bytes
/// against it and reads no further: bytes after them were written for a later checkpoint that was killed before its
/// state.bin replaced this one. A state.bin from before this record (legacy) resumes with the series' own checks only.
/// </summary>
internal static class CheckpointDigests
{
    public const string TensorName = "meta.files";

    public sealed record Covered(long Length, string Sha256);

    /// <summary>The record of the covered files as they are now (after the checkpoint wrote them, before state.bin).</summary>
    public static Tensor Record(RunDirectory run)
    {
        var files = run.CoveredFiles.Where(File.Exists)
            .ToDictionary(f => Path.GetFileName(f), f => new Covered(new FileInfo(f).Length, FileDigest.Of(f)), StringComparer.Ordinal);
        byte[] json = JsonSerializer.SerializeToUtf8Bytes(files);
        return tensor(json.Select(b => (long)b).ToArray());
    }

    /// <summary>
    /// Checks every file the record names against it.
    /// </summary>
    /// <returns>The bytes to read of each covered file (by full path), or null for a legacy state.bin without a record.</returns>
    public static Dictionary<string, long>? Verify(RunDirectory run, IReadOnlyDictionary<string, Tensor> state, string recovery)
    {
        if (!state.TryGetValue(TensorName, out var stored))
        {
            return null;
        }

        var files = Parse(run, stored, recovery);
        var lengths = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var (name, covered) in files)
        {
            string path = Path.Combine(run.Path, name);
            lengths[path] = covered.Length;
            string? problem = Check(path, covered, exact: path == run.MembersFile);
            if (problem is not null)
            {
                throw new DamagedFileException(path, problem, recovery);
            }
        }

        return lengths;
    }

    private static string? Check(string path, Covered covered, bool exact)
    {
        if (!File.Exists(path))
        {
            return $"missing; the checkpoint covers {covered.Length} bytes of it";
        }

        long length = new FileInfo(path).Length;
        if (length < covered.Length || (exact && length != covered.Length))
        {
            return $"holds {length} bytes where the checkpoint recorded {(exact ? "" : "at least ")}{covered.Length}";
        }

        return FileDigest.OfPrefix(path, covered.Length) == covered.Sha256
            ? null
            : $"its first {covered.Length} bytes do not match the checksum the checkpoint recorded";
    }

    private static Dictionary<string, Covered> Parse(RunDirectory run, Tensor stored, string recovery)
    {
        try
        {
            using var cpu = stored.cpu();
            byte[] json = cpu.data<long>().ToArray().Select(b => checked((byte)b)).ToArray();
            var files = JsonSerializer.Deserialize<Dictionary<string, Covered>>(Encoding.UTF8.GetString(json));
            bool valid = files is not null && files.All(f => run.CoveredFiles.Contains(Path.Combine(run.Path, f.Key))
                && f.Value is { Length: >= 0, Sha256.Length: 64 });
            return valid ? files! : throw new JsonException("a file outside the run or a field out of range");
        }
        catch (Exception e) when (e is JsonException or OverflowException or InvalidOperationException or ArgumentException)
        {
            throw new DamagedFileException(run.StateFile, $"its record of the covered files '{TensorName}' is unreadable ({e.Message})", recovery);
        }
    }
}
