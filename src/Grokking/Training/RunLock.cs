using Grokking.Runtime;

namespace Grokking.Training;

/// <summary>
/// The exclusive lock of a run directory while a process trains into it: RUN/.lock held open with FileShare.None (on
/// Linux .NET takes an flock, which the kernel drops when the process dies, so a kill -9 never blocks the next run), and
/// the holder's pid in RUN/train.pid for the message of the process that finds it taken. A second trainer fails at once
/// instead of waiting: it was asked to train a run that is being trained. The run cache's own lock is RUN.lock, beside
/// the directory, so the cache (which takes it and then this one) never waits on itself.
/// </summary>
public sealed class RunLock : IDisposable
{
    // What .NET reports when another handle holds the file with FileShare.None: on Linux and macOS the errno of the failed
    // non-blocking flock (EWOULDBLOCK: 11, 35), on Windows ERROR_SHARING_VIOLATION.
    private static readonly int[] Held = [11, 35, unchecked((int)0x80070020)];

    private readonly FileStream stream;
    private readonly string pidFile;

    private RunLock(FileStream stream, string pidFile)
    {
        this.stream = stream;
        this.pidFile = pidFile;
    }

    /// <exception cref="RunDirectoryBusyException">Another process (or another trainer in this one) holds the lock.</exception>
    public static RunLock Acquire(RunDirectory run)
    {
        Directory.CreateDirectory(run.Path);
        string lockFile = Path.Combine(run.Path, ".lock");
        string pidFile = Path.Combine(run.Path, "train.pid");
        FileStream stream;
        try
        {
            stream = new FileStream(lockFile, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException e) when (Held.Contains(e.HResult))
        {
            throw new RunDirectoryBusyException(lockFile, Holder(pidFile), run.Path);
        }

        try
        {
            AtomicFile.WriteAllText(pidFile, $"{Environment.ProcessId}\n");
        }
        catch
        {
            stream.Dispose();
            throw;
        }

        return new RunLock(stream, pidFile);
    }

    /// <summary>Removes the pid file, then releases the lock (in that order, so it never removes a later holder's pid).</summary>
    public void Dispose()
    {
        try
        {
            File.Delete(pidFile);
        }
        catch (IOException)
        {
            // A read-only or full file system: a stale pid file is harmless, the lock is what counts.
        }
        catch (UnauthorizedAccessException)
        {
        }

        stream.Dispose();
    }

    private static string Holder(string pidFile)
    {
        try
        {
            string text = File.ReadAllText(pidFile).Trim();
            return int.TryParse(text, out int pid) ? $"process {pid}" : "another process";
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return "another process"; // between its lock and its pid file
        }
    }
}
