using Grokking.Claims;
using Grokking.Configuration;
using Grokking.Runtime;
using Grokking.Tests.Unit.Engine;
using Grokking.Training;
using TorchSharp;

namespace Grokking.Tests.Unit.Claims;

/// <summary>
/// One tiny cached run with weight snapshots and checkpoints, trained once per test class; each fault test damages its
/// own copy of the entry, so the pristine entry is the undamaged result a recomputed one must equal.
/// </summary>
public sealed class TinyCachedRun
{
    public const string Experiment = "tiny-integrity";

    public TinyCachedRun()
    {
        Options = EngineFixtures.Small(
            "Train:Steps=40", "Train:MetricsEvery=10", "Train:WeightsEvery=10", "Train:CheckpointEvery=20", "Train:CheckpointAtEvents=false");
        Pristine = new RunCache(EngineFixtures.TempDirectory()).GetOrTrain(Experiment, Options, torch.CPU);
        Snapshot = Path.Combine("checkpoints", Path.GetFileName(new RunDirectory(Pristine.Directory).WeightsAt(20)));
    }

    public GrokkingOptions Options { get; }

    public CachedRun Pristine { get; }

    /// <summary>A middle weight snapshot, relative to the run directory.</summary>
    public string Snapshot { get; }

    /// <summary>A fresh cache root holding a copy of the pristine entry; returns the copy's directory.</summary>
    public string CopyEntry()
    {
        string root = EngineFixtures.TempDirectory();
        string target = Path.Combine(root, Path.GetFileName(Pristine.Directory));
        EngineFixtures.CopyDirectory(Pristine.Directory, target);
        return target;
    }

    public CachedRun Load(string entry) => new RunCache(Path.GetDirectoryName(entry)!).GetOrTrain(Experiment, Options, torch.CPU);

    /// <summary>The digest of every file of a run directory but the cache's markers and landscape, by relative path.</summary>
    public static Dictionary<string, string> Digests(string directory) =>
        Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(directory, f))
            .Where(f => f is not ("complete.json" or "manifest.json" or ".lock") && !f.StartsWith("landscape", StringComparison.Ordinal))
            .ToDictionary(f => f, f => FileDigest.Of(Path.Combine(directory, f)));
}
