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
/// from its directory. An unfinished run directory (a killed job) is resumed from its last checkpoint. A finished run
/// is sealed with a manifest (<see cref="RunManifest"/>) and checked against it whenever it is read; a damaged entry is
/// moved aside and recomputed, and the run says so (<see cref="CachedRun.Recovered"/>).
/// </summary>
public sealed class RunCache(string root)
{
    internal const string CompleteMarker = "complete.json";

    internal const string LockSuffix = ".lock";

    // The runs this object was asked for. Per object, not per process: a suite's results and the progress reporter
    // of the caller that trains a run live as long as that suite, and a second suite starts from the disk cache.
    private readonly ConcurrentDictionary<string, Lazy<CachedRun>> requested = new();

    public string Root { get; } = Path.GetFullPath(root);

    /// <summary>
    /// The cores training may use: a run holds its worker's tokens while it trains (not while it waits for a lock, loads
    /// or is waited for), so lanes and the foreground's analyses never oversubscribe the cores. Unlimited by default.
    /// </summary>
    public CoreBudget Budget { get; init; } = CoreBudget.Unlimited;

    /// <param name="device">"cpu", "cuda" or "cuda-tf32": a CUDA run is not a CPU run (other kernels, other rounding).</param>
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

    /// <param name="beforeWaiting">
    /// Called before the caller waits for a run another caller is training: the foreground gives its core back there
    /// (see <see cref="CoreSeat"/>), so that the trainer can have it.
    /// </param>
    public CachedRun GetOrTrain(
        string experiment,
        GrokkingOptions options,
        torch.Device device,
        IProgress<TrainingProgress>? progress = null,
        Action? beforeWaiting = null,
        CancellationToken cancel = default) =>
        GetOrTrain(DirectoryFor(experiment, options, device), experiment, options, device, progress, beforeWaiting, cancel);

    /// <summary>
    /// The finished run of these options, checked as a claim reads it; null when the cache has none, or only a damaged
    /// one (which a verify would retrain). Reads only: nothing is trained, locked or repaired.
    /// </summary>
    public CachedRun? Finished(string experiment, GrokkingOptions options, torch.Device device)
    {
        string dir = DirectoryFor(experiment, options, device);
        if (!File.Exists(Path.Combine(dir, CompleteMarker)))
        {
            return null;
        }

        try
        {
            return Load(experiment, options, dir);
        }
        catch (Exception e) when (e is DamagedFileException or IOException)
        {
            return null;
        }
    }

    /// <summary>A CUDA run with TF32 allowed (Runtime:AllowTf32) rounds otherwise than one in full float32: its own entry.</summary>
    private string DirectoryFor(string experiment, GrokkingOptions options, torch.Device device) =>
        DirectoryOf(experiment, options, device.type != DeviceType.CUDA ? "cpu" : TorchRuntime.ReducedPrecision ? "cuda-tf32" : "cuda");

    private CachedRun GetOrTrain(
        string dir,
        string experiment,
        GrokkingOptions options,
        torch.Device device,
        IProgress<TrainingProgress>? progress,
        Action? beforeWaiting,
        CancellationToken cancel)
    {
        var mine = new Lazy<CachedRun>(
            () => TrainOrLoad(experiment, options, dir, device, progress, Budget, cancel), LazyThreadSafetyMode.ExecutionAndPublication);
        var lazy = requested.GetOrAdd(dir, mine);
        if (!ReferenceEquals(lazy, mine) && !lazy.IsValueCreated)
        {
            beforeWaiting?.Invoke();
        }

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

        GetOrTrain(dir, experiment, options, device, progress: null, beforeWaiting: null, cancel);
        return true;
    }

    /// <summary>
    /// Under the entry's lock: a finished entry is verified against its manifest and read; an unfinished one resumes.
    /// A damaged entry (a file that fails its check, an unverifiable one without a manifest, one whose resume finds a
    /// damaged file) is moved aside, never deleted, and the run is trained afresh into the same directory; the returned
    /// run says so. A recomputed run that is damaged again is not retried: its exception propagates.
    /// </summary>
    private static CachedRun TrainOrLoad(
        string experiment,
        GrokkingOptions options,
        string dir,
        torch.Device device,
        IProgress<TrainingProgress>? progress,
        CoreBudget budget,
        CancellationToken cancel)
    {
        Directory.CreateDirectory(dir);
        using var fileLock = AcquireLock(dir + LockSuffix, cancel);
        CacheRecovery recovery;
        try
        {
            return File.Exists(Path.Combine(dir, CompleteMarker))
                ? Load(experiment, options, dir)
                : Train(experiment, options, dir, device, progress, budget, cancel);
        }
        catch (DamagedFileException damage) when (Inside(dir, damage.FilePath))
        {
            recovery = CacheRecovery.MoveAside(dir, Path.GetFileName(dir), dir, damage);
        }

        Directory.CreateDirectory(dir);
        return Train(experiment, options, dir, device, progress, budget, cancel) with { Recovered = [recovery] };
    }

    /// <summary>A finished entry: its marker parsed, every file checked against the manifest, then its result read.</summary>
    private static CachedRun Load(string experiment, GrokkingOptions options, string dir)
    {
        var info = ReadMarker(Path.Combine(dir, CompleteMarker));
        RunManifest.Verify(dir);
        TrainingResult result;
        try
        {
            result = new RunDirectory(dir).ReadResult();
        }
        catch (Exception e) when (RunFileCheck.IsParseFailure(e))
        {
            throw RunFileCheck.Locate(dir, e);
        }

        return new CachedRun(experiment, Path.GetFileName(dir), dir, options, result, FromCache: true, info.TrainSeconds);
    }

    private static CompleteInfo ReadMarker(string marker)
    {
        CompleteInfo? info;
        try
        {
            info = JsonSerializer.Deserialize<CompleteInfo>(File.ReadAllText(marker), RunDirectory.Json);
        }
        catch (JsonException e)
        {
            throw new DamagedFileException(marker, $"not valid JSON ({JsonText.Describe(e)})");
        }

        return info is { Engine: EngineVersion.Value } && double.IsFinite(info.TrainSeconds)
            ? info
            : throw new DamagedFileException(marker, $"not a completion marker of {EngineVersion.Value}");
    }

    /// <summary>Trains the run (resuming an unfinished entry), then seals it: manifest first, the completion marker last.</summary>
    private static CachedRun Train(
        string experiment,
        GrokkingOptions options,
        string dir,
        torch.Device device,
        IProgress<TrainingProgress>? progress,
        CoreBudget budget,
        CancellationToken cancel)
    {
        bool resuming = Directory.EnumerateFileSystemEntries(dir).Any();
        using var cores = budget.Hold(cancel); // the clock starts once the cores are ours: the recorded cost excludes the wait
        var clock = Stopwatch.StartNew();
        TrainingResult result;
        try
        {
            result = new PopulationTrainer(options, PopulationSetup.Members(options), device).Run(dir, progress, cancel);
        }
        catch (Exception e) when (resuming && RunFileCheck.IsParseFailure(e))
        {
            throw RunFileCheck.Locate(dir, e);
        }

        if (result.Interrupted)
        {
            throw new OperationCanceledException($"training of {experiment} was interrupted; the next run resumes from {dir}");
        }

        double seconds = CostOf(clock.Elapsed.TotalSeconds, result.ResumedFrom, result.StepsCompleted);
        RunManifest.Seal(dir);
        var complete = new CompleteInfo(EngineVersion.Value, seconds, DateTimeOffset.UtcNow);
        AtomicFile.WriteAllText(Path.Combine(dir, CompleteMarker), JsonSerializer.Serialize(complete, RunDirectory.Json));
        return new CachedRun(experiment, Path.GetFileName(dir), dir, options, result, FromCache: false, seconds);
    }

    /// <summary>
    /// A run's training seconds, its recorded cost: a run resumed from a checkpoint trained only its last part in this
    /// session, so its cost is this session's rate over all its steps (the earlier sessions' clocks died with them).
    /// </summary>
    public static double CostOf(double seconds, long resumedFrom, long completed)
    {
        long trained = completed - resumedFrom;
        return resumedFrom > 0 && trained > 0 ? seconds * completed / trained : seconds;
    }

    private static bool Inside(string dir, string path)
    {
        string relative = Path.GetRelativePath(Path.GetFullPath(dir), Path.GetFullPath(path));
        return relative == "." || !(relative.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(relative));
    }

    private sealed record CompleteInfo(string Engine, double TrainSeconds, DateTimeOffset Finished);

    /// <summary>An exclusive lock file: the OS releases it if the holder dies, so a killed job never blocks the next.</summary>
    internal static FileStream AcquireLock(string path, CancellationToken cancel)
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
