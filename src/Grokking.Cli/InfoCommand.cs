using Grokking.Configuration;
using Grokking.Runtime;

namespace Grokking.Cli;

internal static class InfoCommand
{
    public static int Run(GrokkingOptions options)
    {
        var info = TorchRuntime.Initialize(options.Runtime.Device, options.Runtime.Threads);
        var compat = info.Compatibility;
        Console.WriteLine($"grokking        {typeof(InfoCommand).Assembly.GetName().Version}");
        Console.WriteLine($"profile         {options.Profile.ToString().ToLowerInvariant()}");
        Console.WriteLine($"TorchSharp      {info.TorchSharpVersion}");
        Console.WriteLine($"libtorch        {info.LibTorchVersion}");
        Console.WriteLine($"device          {info.DeviceName} (requested {options.Runtime.Device.ToString().ToLowerInvariant()}; CUDA available: {(info.CudaAvailable ? "yes" : "no")})");
        Console.WriteLine($"threads         {info.Threads}");
        Console.WriteLine($"malloc tuning   {(info.MallocTuned ? "on (large blocks stay in the heap)" : "off")}");
        Console.WriteLine($"libstdc++       {compat.LibStdCxxPath ?? "(not found)"}");
        Console.WriteLine($"libstdc++ shim  {compat.Decision.Describe()}");
        return 0;
    }
}
