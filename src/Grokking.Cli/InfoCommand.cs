using System.CommandLine;
using Grokking.Configuration;
using Grokking.Runtime;

namespace Grokking.Cli;

/// <summary>grokking info: versions, device, threads and the libstdc++ shim decision.</summary>
internal static class InfoCommand
{
    public static Command Create(SharedOptions shared)
    {
        var command = new Command("info", "TorchSharp/libtorch versions, device, threads, libstdc++ shim");
        command.SetAction(parsed => Run(shared.Load(parsed), parsed.InvocationConfiguration.Output));
        return command;
    }

    private static int Run(GrokkingOptions options, TextWriter output)
    {
        var info = TorchRuntime.Initialize(options.Runtime.Device, options.Runtime.Threads, allowTf32: options.Runtime.AllowTf32);
        var compat = info.Compatibility;
        output.WriteLine($"grokking        {typeof(InfoCommand).Assembly.GetName().Version}");
        output.WriteLine($"profile         {options.Profile.Name}");
        output.WriteLine($"TorchSharp      {info.TorchSharpVersion}");
        output.WriteLine($"libtorch        {info.LibTorchVersion}");
        string requested = options.Runtime.Device.ToString().ToLowerInvariant();
        output.WriteLine($"device          {info.DeviceName} (requested {requested}; CUDA available: {(info.CudaAvailable ? "yes" : "no")})");
        output.WriteLine($"backend         TorchSharp-{(info.Backend == "cuda" ? "cuda-linux" : "cpu")} (built with -p:TorchBackend={info.Backend})");
        output.WriteLine($"precision       {info.PrecisionText}");
        output.WriteLine($"threads         {info.Threads}");
        output.WriteLine($"malloc tuning   {(info.MallocTuned ? "on (large blocks stay in the heap)" : "off")}");
        output.WriteLine($"libstdc++       {compat.LibStdCxxPath ?? "(not found)"}");
        output.WriteLine($"libstdc++ shim  {compat.Decision.Describe()}");
        return 0;
    }
}
