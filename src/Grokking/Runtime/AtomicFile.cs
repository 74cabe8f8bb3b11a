using System.Text;

namespace Grokking.Runtime;

/// <summary>Writes files through a temporary sibling and a rename, so a crash never leaves a torn file.</summary>
public static class AtomicFile
{
    /// <param name="preserveModeOf">A file whose Unix permissions the new file takes (a patched library stays executable).</param>
    public static void WriteAllBytes(string path, byte[] bytes, string? preserveModeOf = null) =>
        Replace(path, stream => stream.Write(bytes), preserveModeOf);

    public static void WriteAllText(string path, string text) => WriteAllBytes(path, Encoding.UTF8.GetBytes(text));

    /// <summary>Writes through a stream callback (large binary artifacts such as checkpoints).</summary>
    public static void Write(string path, Action<Stream> write) => Replace(path, write, preserveModeOf: null);

    private static void Replace(string path, Action<Stream> write, string? preserveModeOf)
    {
        string full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        string temp = $"{full}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp";
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }

            if (preserveModeOf is not null && !OperatingSystem.IsWindows() && File.Exists(preserveModeOf))
            {
                File.SetUnixFileMode(temp, File.GetUnixFileMode(preserveModeOf));
            }

            File.Move(temp, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp))
            {
                File.Delete(temp);
            }
        }
    }
}
