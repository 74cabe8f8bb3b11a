using System.Globalization;

namespace Grokking.Data;

/// <summary>
/// The memory this process may still allocate, and where that figure comes from: the cgroup's limit less its usage
/// (/sys/fs/cgroup/memory.max - memory.current, a container's or a systemd slice's ceiling) and the machine's
/// MemAvailable (/proc/meminfo), the smaller of the two; the runtime's view of total available memory where neither
/// can be read (not Linux).
/// </summary>
public sealed record AvailableMemory(long Bytes, string Source)
{
    public static AvailableMemory Read() =>
        Combine(CgroupRemaining("/sys/fs/cgroup"), MemAvailable("/proc/meminfo"), GC.GetGCMemoryInfo().TotalAvailableMemoryBytes);

    /// <summary>The smaller of the cgroup and /proc figures that exist, else the runtime's.</summary>
    public static AvailableMemory Combine(long? cgroup, long? memAvailable, long runtime)
    {
        if (cgroup is { } c && (memAvailable is null || c < memAvailable))
        {
            return new AvailableMemory(c, "cgroup memory.max less memory.current");
        }

        return memAvailable is { } m
            ? new AvailableMemory(m, "MemAvailable in /proc/meminfo")
            : new AvailableMemory(runtime, "the .NET runtime's total available memory");
    }

    /// <summary>memory.max - memory.current of a cgroup v2 directory; null without a limit ("max") or without the files.</summary>
    public static long? CgroupRemaining(string directory)
    {
        string max = Path.Combine(directory, "memory.max");
        if (!File.Exists(max) || !long.TryParse(File.ReadAllText(max).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out long limit))
        {
            return null;
        }

        string current = Path.Combine(directory, "memory.current");
        long used = 0;
        if (File.Exists(current))
        {
            _ = long.TryParse(File.ReadAllText(current).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out used);
        }

        return Math.Max(0, limit - used);
    }

    /// <summary>MemAvailable of a /proc/meminfo file in bytes; null when the file or the line is missing.</summary>
    public static long? MemAvailable(string meminfo)
    {
        if (!File.Exists(meminfo))
        {
            return null;
        }

        string? line = File.ReadLines(meminfo).FirstOrDefault(l => l.StartsWith("MemAvailable:", StringComparison.Ordinal));
        var parts = line?.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return parts is { Length: >= 2 } && long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out long kb)
            ? kb * 1024
            : null;
    }
}
