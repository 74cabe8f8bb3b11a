using System.Text;
using Grokking.Runtime;

namespace Grokking.Training;

/// <summary>
/// The lines of a run's text file (metrics, per-step series) with their 1-based numbers, read whole or up to the length
/// a checkpoint recorded: bytes after it were written for a later checkpoint that was never committed.
/// </summary>
internal static class RunFileLines
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <param name="length">The bytes to read (a checkpoint's record, checked before), or null for the whole file.</param>
    /// <param name="recovery">What to do when a line is damaged: the caller knows the file's role.</param>
    public static IEnumerable<(int Number, string Text)> Read(string path, long? length, string? recovery)
    {
        byte[] bytes = ReadBytes(path, length);
        string text;
        try
        {
            text = StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            throw new DamagedFileException(path, "is not UTF-8 text", recovery);
        }

        if (text.Length > 0 && text[^1] != '\n')
        {
            int last = text.Count(c => c == '\n') + 1;
            throw new DamagedFileException(path, $"line {last}: cut short (the file does not end with a line break)", recovery);
        }

        var lines = text.Split('\n');
        for (int i = 0; i < lines.Length - 1; i++)
        {
            yield return (i + 1, lines[i]);
        }
    }

    private static byte[] ReadBytes(string path, long? length)
    {
        if (length is null)
        {
            return File.ReadAllBytes(path);
        }

        using var stream = File.OpenRead(path);
        var bytes = new byte[length.Value];
        stream.ReadExactly(bytes);
        return bytes;
    }
}
