namespace Grokking.Training;

/// <summary>
/// A run directory another trainer holds: one line naming the lock file, the holder's pid and the way out (exit code 1:
/// the command is right, the directory is busy).
/// </summary>
public sealed class RunDirectoryBusyException(string lockFile, string holder, string runDirectory)
    : IOException($"{lockFile}: the run directory {runDirectory} is being trained by {holder}; "
        + "wait for it to finish (then run again to resume) or choose another --out")
{
    public string LockFile { get; } = lockFile;
}
