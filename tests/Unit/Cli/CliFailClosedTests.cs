using System.Text.RegularExpressions;
using Grokking.Cli;
using Grokking.Tests.Unit.Engine;

namespace Grokking.Tests.Unit.Cli;

/// <summary>
/// Nothing damaged or mistyped is read as valid: a damaged checkpoint, an option list with an element that matches
/// nothing, and a received snapshot that is no baseline each stop the command with its exit code and one line naming
/// the culprit, and leave every existing file as it was.
/// </summary>
[Collection(ProcessEnvironmentCollection.Name)]
public class CliFailClosedTests
{
    private static (int ExitCode, string Stdout, string Stderr) Run(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        int code = Program.Run(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    // ------------------------------------------------------------------ damaged checkpoints

    [Theory]
    [InlineData("cut 1", "truncated: tensor '[^']+' needs \\d+ bytes, \\d+ left")]
    [InlineData("cut 8", "truncated: tensor '[^']+' needs \\d+ bytes, \\d+ left")]
    [InlineData("append", "7 trailing byte\\(s\\) after its \\d+ tensor\\(s\\)")]
    [InlineData("magic", "not a tensor file: it starts with 0x4B4E554A, not \"GORK\" or \"GRK2\"")]
    public void Train_that_resumes_from_a_damaged_state_exits_1_with_one_line_naming_it_and_changes_no_file(string damage, string problem)
    {
        string run = Path.Combine(EngineFixtures.TempDirectory(), "run");
        string[] train = ["train", "--profile", "smoke", "--out", run, "--no-progress", "--set", "Train:Steps=20"];
        Run(train).ExitCode.Should().Be(0);
        string state = Path.Combine(run, "checkpoints", "state.bin");
        Damage(state, damage);
        var before = Files(run);

        var (code, _, stderr) = Run(train);

        code.Should().Be(1);
        stderr.Trim().Should().MatchRegex(
            $"^error: {Regex.Escape(state)}: {problem}; the run cannot resume from it: "
            + $"delete the run directory {Regex.Escape(run)} to train it afresh$");
        stderr.Trim().Should().NotContain("\n", "one line, no stack trace");
        Files(run).Should().BeEquivalentTo(before, "a run that cannot resume keeps its files as they were");
    }

    private static void Damage(string file, string damage)
    {
        if (damage == "append")
        {
            File.AppendAllText(file, "garbage");
            return;
        }

        using var stream = File.OpenWrite(file);
        if (damage == "magic")
        {
            stream.Write("JUNK"u8);
        }
        else
        {
            stream.SetLength(stream.Length - int.Parse(damage["cut ".Length..], System.Globalization.CultureInfo.InvariantCulture));
        }
    }

    /// <summary>Every file under a folder with its bytes, to show that a failed command changed none.</summary>
    private static Dictionary<string, byte[]> Files(string root) =>
        Directory.GetFiles(root, "*", SearchOption.AllDirectories).ToDictionary(f => Path.GetRelativePath(root, f), File.ReadAllBytes);
}
