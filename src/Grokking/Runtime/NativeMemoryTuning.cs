using System.Runtime.InteropServices;

namespace Grokking.Runtime;

/// <summary>
/// glibc's malloc serves blocks above a (dynamic) threshold with mmap and returns freed memory to the kernel,
/// so every activation tensor of a training step costs fresh page faults and zeroing: on the 2-core CI machine
/// that made an inference pass 4x slower than a training pass. Keeping large blocks in the heap (as
/// MALLOC_MMAP_THRESHOLD_ / MALLOC_TRIM_THRESHOLD_ would) removes that; the process keeps its peak footprint.
/// </summary>
internal static class NativeMemoryTuning
{
    private const int MTrimThreshold = -1;
    private const int MTopPad = -2;
    private const int MMmapThreshold = -3;

    public static bool Apply()
    {
        if (!OperatingSystem.IsLinux())
        {
            return false;
        }

        try
        {
            // 32 MiB is glibc's upper limit for the mmap threshold on 64-bit hosts.
            return MallOpt(MMmapThreshold, 32 << 20) == 1
                & MallOpt(MTrimThreshold, int.MaxValue) == 1
                & MallOpt(MTopPad, 256 << 20) == 1;
        }
        catch (EntryPointNotFoundException)
        {
            return false; // musl and other libcs have no mallopt tuning.
        }
    }

    [DllImport("libc.so.6", EntryPoint = "mallopt")]
    private static extern int MallOpt(int parameter, int value);
}
