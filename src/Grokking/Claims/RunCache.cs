using System.Collections.Concurrent;
using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Grokking.Configuration;
using Grokking.Runtime;
using Grokking.Training;
using TorchSharp;

namespace Grokking.Claims;

/// <summary>
/// Shares expensive runs between claims, test classes and processes. The key is a hash of the resolved
/// experiment configuration (minus runtime and output settings) and the engine version. Within one cache object
/// (one per <see cref="ClaimSuite"/>) one caller trains and the others wait for it; across cache objects and
/// processes (dotnet test beside grokking verify) an exclusive lock file does the same, and a finished run is read
/// from its directory. An unfinished run directory (a killed job) is resumed from its last checkpoint.
/// </summary>
public sealed class RunCache(string root)
{
    private const string CompleteMarker = "complete.json";

    // The runs this object was asked for. Per object, not per process: a suite's results and the progress reporter
    // of the caller that trains a run live as long as that suite, and a second suite starts from the disk cache.
    private readonly ConcurrentDictionary<string, Lazy<CachedRun>> requested = new();

    public string Root { get; } = Path.GetFullPath(root);

    /// <param name="device">"cpu" or "cuda": a CUDA run is not a CPU run (other kernels, other rounding).</param>
    public static string KeyOf(GrokkingOptions options, string device = "cpu")
    {
        // DType was the constant "float32" before Model:Precision existed; it stays in the key under that name.
        // The members' order and names are the serialized key: reordering them would orphan every cached run.
        var identity = new
        {
            EngineVersion.Value,
            Device = device,
            DType = options.Model.Precision.ToString().ToLowerInvariant(),
            options.Data,
            options.Model,
            options.Optimizer,
            options.Train,
            options.Population,
        };
        byte[] hash = SHA256.HashData(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(identity, RunDirectory.Json)));
        return Convert.ToHexString(hash)[..16].ToLowerInvariant();
    }

    public string DirectoryOf(string experiment, GrokkingOptions options, string device = "cpu") =>
        Path.Combine(Root, $"{experiment}-{KeyOf(options, device)}");

    public CachedRun GetOrTrain(
        string experiment,
        GrokkingOptions options,
        torch.Device device,
        IProgress<TrainingProgress>? progress = null,
        CancellationToken cancel = default) =>
        GetOrTrain(DirectoryFor(experiment, options, device), experiment, options, device, progress, cancel);

    private string DirectoryFor(string experiment, GrokkingOptions options, torch.Device device) =>
        DirectoryOf(experiment, options, device.type == DeviceType.CUDA ? "cuda" : "cpu");

    private CachedRun GetOrTrain(
        string dir, string experiment, GrokkingOptions options, torch.Device device, IProgress<TrainingProgress>? progress, CancellationToken cancel)
    {
        var lazy = requested.GetOrAdd(dir, _ => new Lazy<CachedRun>(
            () => TrainOrLoad(experiment, options, dir, device, progress, cancel), LazyThreadSafetyMode.ExecutionAndPublication));
        try
        {
            return lazy.Value;
        }
        catch
        {
            requested.TryRemove(dir, out _); // a failed or cancelled attempt must not poison later callers
            throw;
        }
    }

    /// <summary>
    /// Trains (or loads) the run unless another caller has already asked for it: background lanes use this so that
    /// they never sit waiting on a run the claim thread is training.
    /// </summary>
    public bool TrainIfUnrequested(string experiment, GrokkingOptions options, torch.Device device, CancellationToken cancel = default)
    {
        string dir = DirectoryFor(experiment, options, device);
        if (requested.ContainsKey(dir))
        {
            return false;
        }

        GetOrTrain(dir, experiment, options, device, progress: null, cancel);
        return true;
    }

    private static CachedRun TrainOrLoad(
        string experiment,
        GrokkingOptions options,
        string dir,
        torch.Device device,
        IProgress<TrainingProgress>? progress,
        CancellationToken cancel)
    {
        Directory.CreateDirectory(dir);
        using var fileLock = AcquireLock(dir + ".lock", cancel);
        string key = Path.GetFileName(dir);
        string marker = Path.Combine(dir, CompleteMarker);
        var run = new RunDirectory(dir);
        if (File.Exists(marker))
        {
            var info = JsonSerializer.Deserialize<CompleteInfo>(File.ReadAllText(marker), RunDirectory.Json)!;
            return new CachedRun(experiment, key, dir, options, run.ReadResult(), FromCache: true, info.TrainSeconds);
        }

        var clock = Stopwatch.StartNew();
        var result = new PopulationTrainer(options, PopulationSetup.Members(options), device).Run(dir, progress, cancel);
        if (result.Interrupted)
        {
            throw new OperationCanceledException($"training of {experiment} was interrupted; the next run resumes from {dir}");
        }

        double seconds = clock.Elapsed.TotalSeconds;
        var complete = new CompleteInfo(EngineVersion.Value, seconds, DateTimeOffset.UtcNow);
        AtomicFile.WriteAllText(marker, JsonSerializer.Serialize(complete, RunDirectory.Json));
        return new CachedRun(experiment, key, dir, options, result, FromCache: false, seconds);
    }

    private sealed record CompleteInfo(string Engine, double TrainSeconds, DateTimeOffset Finished);

    /// <summary>An exclusive lock file: the OS releases it if the holder dies, so a killed job never blocks the next.</summary>
    private static FileStream AcquireLock(string path, CancellationToken cancel)
    {
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException)
            {
                cancel.ThrowIfCancellationRequested();
                Thread.Sleep(500);
            }
        }
    }
}
