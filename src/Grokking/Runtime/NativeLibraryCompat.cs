using System.Runtime.InteropServices;
using TorchSharp;

namespace Grokking.Runtime;

/// <summary>
/// Makes libLibTorchSharp.so loadable on hosts with an older libstdc++ (Debian 12, Ubuntu 22.04), before
/// TorchSharp first initialises: marks the missing version weak in the build output's copy of the library
/// (never the NuGet cache) and preloads the shim that defines the one symbol it needs, RTLD_GLOBAL.
/// </summary>
internal static class NativeLibraryCompat
{
    public const string ShimFileName = "libgrokking_stdcxx_shim.so";
    private const string TorchSharpNative = "libLibTorchSharp.so";
    private const int RtldNow = 0x2;
    private const int RtldGlobal = 0x100;

    public static CompatibilityReport Apply()
    {
        if (!OperatingSystem.IsLinux())
        {
            return new CompatibilityReport(new CompatibilityDecision(CompatibilityAction.None, []), null, null);
        }

        string torchDir = Path.GetDirectoryName(typeof(torch).Assembly.Location) ?? AppContext.BaseDirectory;
        string? native = FindTorchSharpNative(torchDir);
        string? libstdcxx = FindLoadedLibStdCxx();
        if (native is null || libstdcxx is null)
        {
            // Nothing to inspect (a CUDA image with its own layout, or a static libstdc++): let TorchSharp try.
            return new CompatibilityReport(new CompatibilityDecision(CompatibilityAction.None, []), libstdcxx, native);
        }

        var needs = ElfSymbolVersions.ReadNeeds(native).Where(n => n.File.StartsWith("libstdc++", StringComparison.Ordinal)).ToList();
        var decision = LibStdCxxCompatibility.Decide(needs.Select(n => n.Version), ElfSymbolVersions.ReadDefinitions(libstdcxx));
        switch (decision.Action)
        {
            case CompatibilityAction.None:
                break;
            case CompatibilityAction.Shim:
                ElfSymbolVersions.MarkNeedsWeak(native, decision.MissingVersions.ToList());
                LoadShim(torchDir);
                RemoveStaleFallbackCopy(torchDir);
                break;
            default:
                throw new PlatformNotSupportedException(
                    $"TorchSharp cannot load here: {libstdcxx} lacks {string.Join(", ", decision.MissingVersions)}, which no shim provides. "
                    + "Install libstdc++ from GCC 13 or newer.");
        }

        return new CompatibilityReport(decision, libstdcxx, native);
    }

    private static string? FindTorchSharpNative(string torchDir)
    {
        string rid = RuntimeInformation.ProcessArchitecture == Architecture.Arm64 ? "linux-arm64" : "linux-x64";
        string[] candidates = [Path.Combine(torchDir, "runtimes", rid, "native", TorchSharpNative), Path.Combine(torchDir, TorchSharpNative)];
        return candidates.FirstOrDefault(File.Exists);
    }

    /// <summary>The libstdc++ the runtime already mapped (coreclr links it), i.e. the one TorchSharp will bind to.</summary>
    private static string? FindLoadedLibStdCxx()
    {
        foreach (string line in File.ReadLines("/proc/self/maps"))
        {
            int slash = line.IndexOf('/', StringComparison.Ordinal);
            if (slash >= 0 && line.Contains("/libstdc++.so", StringComparison.Ordinal))
            {
                return line[slash..].Trim();
            }
        }

        return null;
    }

    private static void LoadShim(string torchDir)
    {
        string[] candidates = [Path.Combine(AppContext.BaseDirectory, ShimFileName), Path.Combine(torchDir, ShimFileName)];
        string shim = candidates.FirstOrDefault(File.Exists)
            ?? throw new FileNotFoundException(
                $"This host's libstdc++ lacks GLIBCXX_3.4.32 and the compatibility shim {ShimFileName} was not built. Install g++ and rebuild.");
        if (DlOpen(shim, RtldNow | RtldGlobal) == IntPtr.Zero)
        {
            throw new DllNotFoundException($"Could not load the compatibility shim {shim}.");
        }
    }

    /// <summary>TorchSharp's loader, after a failed first attempt, copies unpatched libraries to cpu/; such a copy would fail again.</summary>
    private static void RemoveStaleFallbackCopy(string torchDir)
    {
        string stale = Path.Combine(torchDir, "cpu");
        if (Directory.Exists(stale) && File.Exists(Path.Combine(stale, TorchSharpNative)))
        {
            try
            {
                Directory.Delete(stale, recursive: true);
            }
            catch (IOException)
            {
                // Another process may be using it; it is only a cache.
            }
        }
    }

    private static IntPtr DlOpen(string path, int flags)
    {
        try
        {
            return DlOpenLibc(path, flags);
        }
        catch (EntryPointNotFoundException)
        {
            return DlOpenLibdl(path, flags);
        }
        catch (DllNotFoundException)
        {
            return DlOpenLibdl(path, flags);
        }
    }

    [DllImport("libc.so.6", EntryPoint = "dlopen", CharSet = CharSet.Ansi, BestFitMapping = false)]
    private static extern IntPtr DlOpenLibc([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags);

    [DllImport("libdl.so.2", EntryPoint = "dlopen", CharSet = CharSet.Ansi, BestFitMapping = false)]
    private static extern IntPtr DlOpenLibdl([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags);
}
