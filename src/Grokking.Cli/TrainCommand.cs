using System.CommandLine;
using Grokking.Configuration;
using Grokking.Runtime;
using Grokking.Training;

namespace Grokking.Cli;

/// <summary>grokking train: one population run into a run directory, resumable, with a live progress line.</summary>
internal static class TrainCommand
{
    public static Command Create(SharedOptions shared)
    {
        var outDir = new Option<string>("--out")
        {
            Description = "run directory (default <Output:RunsDirectory>/train-<UTC time>); one that holds a checkpoint is resumed, "
                + "so a run interrupted with Ctrl-C continues with the same --out",
            HelpName = "DIR",
        };
        var noProgress = new Option<bool>("--no-progress") { Description = "no live progress line" };
        var command = new Command("train", "train a population (Population:Seeds x WeightDecays x InitScales x LearningRates); Ctrl-C checkpoints")
        {
            outDir, noProgress,
        };
        command.SetAction(parsed => Run(
            shared.Load(parsed),
            parsed.GetValue(outDir),
            parsed.GetValue(noProgress),
            parsed.InvocationConfiguration.Output,
            parsed.InvocationConfiguration.Error));
        return command;
    }

    private static int Run(GrokkingOptions options, string? outDir, bool quiet, TextWriter output, TextWriter error)
    {
        CheckOut(outDir);
        var runtime = TorchRuntime.Initialize(options.Runtime.Device, options.Runtime.Threads, allowTf32: options.Runtime.AllowTf32);
        var members = PopulationSetup.Members(options);
        string runDir = outDir ?? Path.Combine(options.Output.RunsDirectory, $"train-{DateTime.UtcNow:yyyyMMdd-HHmmss}");
        var trainer = new PopulationTrainer(options, members, runtime.Device);
        output.WriteLine($"training {members.Count} member(s) on {runtime.DeviceName} -> {runDir}");
        try
        {
            return Train(trainer, members, runDir, quiet, output, error);
        }
        catch (RunDirectoryBusyException e)
        {
            error.WriteLine($"error: {e.Message}");
            return Program.RuntimeFailure;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException && Names(e, runDir))
        {
            // Disk full, a read-only file system, no permission: every file is replaced atomically, so what was there stays.
            error.WriteLine($"error: {Path.GetFullPath(runDir)}: cannot write the run ({e.Message}); "
                + "the files already there are unchanged: free space or make it writable, or choose another --out");
            return Program.RuntimeFailure;
        }
    }

    /// <summary>An empty --out or one naming a file is a usage error (2), found before anything is built or written.</summary>
    private static void CheckOut(string? outDir)
    {
        if (outDir is not null && string.IsNullOrWhiteSpace(outDir))
        {
            throw OptionsException.InvalidValue("--out", $"'{outDir}' is empty; name a run directory (a new one, or one to resume)");
        }

        if (outDir is not null && File.Exists(outDir))
        {
            throw OptionsException.InvalidValue("--out", $"'{outDir}' is a file; name a run directory (a new one, or one to resume)");
        }
    }

    /// <summary>Whether an I/O failure is the run directory's (not, say, a data file's, which keeps its own message).</summary>
    private static bool Names(Exception e, string runDir) => e.Message.Contains(Path.GetFullPath(runDir), StringComparison.Ordinal);

    private static int Train(
        PopulationTrainer trainer, IReadOnlyList<MemberSpec> members, string runDir, bool quiet, TextWriter output, TextWriter error)
    {
        using var cancel = new CtrlC("saving a checkpoint at the next metric step (run again with the same --out to resume)", error);
        var progress = new ProgressLine(quiet, output);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var result = trainer.Run(runDir, progress, cancel.Token);
        double seconds = clock.Elapsed.TotalSeconds;
        progress.Finish();
        var plots = RunPlots.Write(result, runDir);
        foreach (var e in result.Events)
        {
            string Epoch(long step) => step == MemberEvents.Never ? "never" : $"epoch {result.EpochOf(step):0.##} (step {step})";
            string diverged = e.Diverged ? $", diverged at step {e.DivergedStep}" : "";
            output.WriteLine(
                $"member {e.Member} [{members[e.Member].Label}]: train threshold {Epoch(e.TrainThresholdStep)}, "
                + $"val threshold {Epoch(e.ValThresholdStep)}{diverged}");
        }

        double stepsPerSecond = result.StepsCompleted / seconds;
        output.WriteLine(
            $"{(result.Interrupted ? "interrupted" : "finished")} after {result.StepsCompleted} steps in {seconds:0.0} s "
            + $"({stepsPerSecond:0.0} steps/s, {stepsPerSecond / result.StepsPerEpoch:0.00} epochs/s); {plots.Count} plots in {runDir}");
        return result.Interrupted ? Program.Interrupted : 0;
    }
}
