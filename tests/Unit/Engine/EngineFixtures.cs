using Grokking.Configuration;
using Grokking.Runtime;

namespace Grokking.Tests.Unit.Engine;

/// <summary>Small, fast configurations for engine tests (p = 23, d_model 32), on the CPU.</summary>
internal static class EngineFixtures
{
    public static GrokkingOptions Small(params string[] overrides)
    {
        TorchRuntime.Initialize(DeviceChoice.Cpu);
        string[] defaults =
        [
            "Profile=smoke", "Data:Modulus=23", "Data:Operation=add", "Model:DModel=32", "Model:DMlp=64", "Model:Heads=4",
            "Train:BatchSize=64", "Train:Epochs=0", "Train:Steps=120", "Train:MetricsEvery=20", "Train:CheckpointEvery=0",
        ];
        return GrokkingConfiguration.Load(new ConfigurationSources(Overrides: [.. defaults, .. overrides], EnvironmentVariables: false));
    }

    public static string TempDirectory()
    {
        string path = Path.Combine(Path.GetTempPath(), "grokking-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(path);
        return path;
    }
}
