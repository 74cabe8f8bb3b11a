using Grokking.Configuration;
using Grokking.Runtime;
using Grokking.Training;

namespace Grokking.Cli;

/// <summary>grokking train: one population run into a run directory, resumable, with a live progress line.</summary>
internal static class TrainCommand
{
    public static int Run(GrokkingOptions options, CommandLine cmd)
    {
        var runtime = TorchRuntime.Initialize(options.Runtime.Device, options.Runtime.Threads);
        var members = PopulationSetup.Members(options);
        string runDir = cmd.Get("--out") ?? Path.Combine(options.Output.RunsDirectory, $"train-{DateTime.UtcNow:yyyyMMdd-HHmmss}");
        var trainer = new PopulationTrainer(options, members, runtime.Device);
        Console.WriteLine($"training {members.Count} member(s) on {runtime.DeviceName} -> {runDir}");

        using var cancel = new CtrlC("saving a checkpoint at the next metric step (run again with the same --out to resume)");
        var progress = new ProgressLine(cmd.Has("--no-progress"));
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var result = trainer.Run(runDir, progress, cancel.Token);
        double seconds = clock.Elapsed.TotalSeconds;
        progress.Finish();
        var plots = Grokking.Training.RunPlots.Write(result, runDir);
        foreach (var e in result.Events)
        {
            string Epoch(long step) => step == MemberEvents.Never ? "never" : $"epoch {result.EpochOf(step):0.##} (step {step})";
            string diverged = e.Diverged ? $", diverged at step {e.DivergedStep}" : "";
            Console.WriteLine($"member {e.Member} [{members[e.Member].Label}]: train threshold {Epoch(e.TrainThresholdStep)}, val threshold {Epoch(e.ValThresholdStep)}{diverged}");
        }

        Console.WriteLine($"{(result.Interrupted ? "interrupted" : "finished")} after {result.StepsCompleted} steps in {seconds:0.0} s ({result.StepsCompleted / seconds:0.0} steps/s, {result.StepsCompleted / seconds / result.StepsPerEpoch:0.00} epochs/s); {plots.Count} plots in {runDir}");
        return result.Interrupted ? 130 : 0;
    }
}
