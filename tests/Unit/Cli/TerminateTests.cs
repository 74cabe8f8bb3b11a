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
        var (errors, _) = await TerminateOnceTraining(process, () => File.Exists(Path.Combine(dir, "config.json")));

        errors.Should().Contain("terminate: saving a checkpoint");
        File.Exists(Path.Combine(dir, "checkpoints", "state.bin")).Should().BeTrue("the resumable state is written on the way out");
    }

    [Fact]
    public async Task A_sigterm_makes_verify_variants_checkpoint_and_exit_130_with_one_line_and_no_partial_variants_file()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        string root = LongVariantRepository();
        string report = Path.Combine(root, "report"), cache = Path.Combine(root, "cache");
        using var process = CliProcess.StartIn(root, null, "verify", "--variants", "--claims", "MC-1", "--profile", "smoke",
            "--no-progress", "--set", $"Output:ReportDirectory={report}", "--set", $"Output:CacheDirectory={cache}");
        var (errors, _) = await TerminateOnceTraining(
            process, () => Directory.Exists(cache) && Directory.GetFiles(cache, "config.json", SearchOption.AllDirectories).Length > 0);

        errors.Should().Contain("interrupted (training of mc-grokking was interrupted; the next run resumes from")
            .And.NotContain("OperationCanceledException");
        File.Exists(Path.Combine(report, "variants.json")).Should().BeFalse("a partial variants.json would read as claims gone missing");
        Directory.GetFiles(cache, "state.bin", SearchOption.AllDirectories).Should().ContainSingle("the run checkpointed on the way out");
    }

    /// <summary>
    /// A repository of its own (the claim files copied, the marker file beside them) whose mc-grokking trains 10^6 epochs at
    /// smoke, so that its alternative is still training when the signal comes.
    /// </summary>
    private static string LongVariantRepository()
    {
        string root = Grokking.Tests.Unit.Engine.EngineFixtures.TempDirectory();
        File.WriteAllText(Path.Combine(root, Grokking.Claims.RepositoryLocator.Marker), "");
        string claims = Path.Combine(Grokking.Claims.RepositoryLocator.Find(), "claims");
        foreach (string file in Directory.GetFiles(claims, "*", SearchOption.AllDirectories))
        {
            string copy = Path.Combine(root, "claims", Path.GetRelativePath(claims, file));
            Directory.CreateDirectory(Path.GetDirectoryName(copy)!);
            File.Copy(file, copy);
        }

        string experiment = Path.Combine(root, "claims", "experiments", "mc-grokking.json");
        var json = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(experiment))!;
        json["profiles"]!["smoke"]!["Train"]!["Epochs"] = 1_000_000;
        File.WriteAllText(experiment, json.ToJsonString());
        return root;
    }

    /// <summary>
    /// Sends SIGTERM once <paramref name="training"/> says the child's run has started, requires exit 130 within a
    /// minute, and returns both streams.
    /// </summary>
    private static async Task<(string Errors, string Output)> TerminateOnceTraining(Process process, Func<bool> training)
    {
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEndAsync();
        try
        {
            WaitFor(() => training() || process.HasExited, TimeSpan.FromSeconds(60));
            process.HasExited.Should().BeFalse("the run must still be training when it is terminated");
            Thread.Sleep(500);
            Kill(process.Id, SigTerm).Should().Be(0, "the signal is sent");
            process.WaitForExit(60_000).Should().BeTrue("a terminated run checkpoints and exits");
        }
        finally
        {
            // A run that ignored the signal would train its 10^6 epochs or 10^7 steps beside the rest of the suite.
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }

        string errors = await stderr, output = await stdout;
        process.ExitCode.Should().Be(130, errors + output);
        return (errors, output);
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
