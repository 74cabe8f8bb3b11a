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

    /// <summary>A copy of a directory tree, empty folders included (a scratch checkout, a cache entry to damage).</summary>
    public static void CopyDirectory(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (string dir in Directory.GetDirectories(from, "*", SearchOption.AllDirectories))
        {
            Directory.CreateDirectory(Path.Combine(to, Path.GetRelativePath(from, dir)));
        }

        foreach (string file in Directory.GetFiles(from, "*", SearchOption.AllDirectories))
        {
            File.Copy(file, Path.Combine(to, Path.GetRelativePath(from, file)));
        }
    }
}
