using System.Diagnostics;
using Grokking.Cli;
using Grokking.Runtime;

namespace Grokking.Tests.Unit.Cli;

/// <summary>
/// Runtime:Device=cuda on a host without CUDA (this one: TorchSharp-cpu) is a configuration error: every command that
/// reads the configuration exits 2 with one line naming the key, why, what to do and where it was set, before it runs
/// anything (issue 30; it was exit 1 with an exception's name).
/// </summary>
[Collection(ProcessEnvironmentCollection.Name)]
public class CudaUnavailableTests
{
    /// <summary>The reason names the build (TorchRuntimeTests checks its words for each backend).</summary>
    private static string Refusal =>
        $"error: Invalid value for 'Runtime:Device': 'cuda', but CUDA is not available: {TorchRuntime.CudaMissingReason()}; allowed here: auto, cpu";

    [WithoutCudaTheory]
    [InlineData("info")]
    [InlineData("train|--out|{tmp}")]
    [InlineData("bench|--members|1|--epochs|1")]
    [InlineData("verify|--claims|MC-1|--profile|smoke")]
    [InlineData("verify|--plan|--claims|MC-1")]
    [InlineData("baselines|accept|MC-1")]
    public void Every_command_exits_2_with_one_line_when_cuda_is_asked_for_and_absent(string command)
    {
        string tmp = Path.Combine(Path.GetTempPath(), "grokking-tests", Guid.NewGuid().ToString("N"));
        string[] args = [.. command.Replace("{tmp}", tmp, StringComparison.Ordinal).Split('|'), "--set", "Runtime:Device=cuda"];
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();

        int code = Program.Run(args, stdout, stderr);

        code.Should().Be(2, stderr.ToString());
        stderr.ToString().Should().Be($"{Refusal} (set by --set Runtime:Device=cuda){Environment.NewLine}");
        stdout.ToString().Should().BeEmpty("nothing ran");
        Directory.Exists(tmp).Should().BeFalse("train refused before it made its run directory");
    }

    [WithoutCudaTheory]
    [InlineData("info")]
    public void The_executable_names_the_environment_variable_that_asked_for_cuda(string command)
    {
        var (code, stdout, stderr) = CliProcess.Run(new Dictionary<string, string> { ["GROKKING__Runtime__Device"] = "cuda" }, command);

        code.Should().Be(2, stderr);
        stderr.Should().Be($"{Refusal} (set by environment variable GROKKING__Runtime__Device){Environment.NewLine}");
        stdout.Should().BeEmpty();
    }
}
