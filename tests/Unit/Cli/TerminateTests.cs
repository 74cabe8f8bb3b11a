using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Grokking.Tests.Unit.Cli;

/// <summary>
/// SIGTERM checkpoints like Ctrl-C: a scheduler, CI or the end of a session sends it before it kills, and a job started
/// in the background by a non-interactive shell ignores SIGINT from its start (measured: SigIgn 0x1007 on such a job), so
/// before this a long run so started could only be killed, losing every step since its last periodic checkpoint.
/// </summary>
public class TerminateTests
{
    private const int SigTerm = 15;

    /// <summary>libc's kill(2): .NET sends no signal but SIGKILL, and a kill executable is not on every image.</summary>
    [DllImport("libc", EntryPoint = "kill")]
    private static extern int Kill(int pid, int signal);

    [Fact]
    public async Task A_sigterm_makes_train_checkpoint_and_exit_130()
    {
        if (OperatingSystem.IsWindows())
        {
            return; // no SIGTERM there; the Ctrl-C path is the same cancellation
        }

        string dir = Path.Combine(Path.GetTempPath(), "grokking-tests", Guid.NewGuid().ToString("N"));
        using var process = CliProcess.Start(null, "train", "--profile", "smoke", "--no-progress", "--out", dir,
            "--set", "Train:Steps=10000000", "--set", "Train:CheckpointEvery=0");
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEndAsync();
        try
        {
            WaitFor(() => File.Exists(Path.Combine(dir, "config.json")) || process.HasExited, TimeSpan.FromSeconds(60));
            process.HasExited.Should().BeFalse("the run must still be training when it is terminated");
            Thread.Sleep(500);
            Kill(process.Id, SigTerm).Should().Be(0, "the signal is sent");

            process.WaitForExit(60_000).Should().BeTrue("a terminated run checkpoints and exits");
        }
        finally
        {
            // A run that ignored the signal would train its 10^7 steps beside the rest of the suite.
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }

        string errors = await stderr, output = await stdout;
        process.ExitCode.Should().Be(130, errors + output);
        errors.Should().Contain("terminate: saving a checkpoint");
        File.Exists(Path.Combine(dir, "checkpoints", "state.bin")).Should().BeTrue("the resumable state is written on the way out");
    }

    private static void WaitFor(Func<bool> condition, TimeSpan limit)
    {
        var clock = Stopwatch.StartNew();
        while (!condition() && clock.Elapsed < limit)
        {
            Thread.Sleep(50);
        }
    }
}
