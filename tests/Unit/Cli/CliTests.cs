using System.Diagnostics;
using Grokking.Cli;

namespace Grokking.Tests.Unit.Cli;

/// <summary>The grokking command as a user runs it: help, exit codes and one-line errors, no stack traces.</summary>
[Collection(ProcessEnvironmentCollection.Name)]
public class CliTests
{
    /// <summary>In-process, through the same entry point as Main.</summary>
    private static (int ExitCode, string Stdout, string Stderr) Run(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        int code = Program.Run(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    /// <summary>The built executable, as ./grokking runs it.</summary>
    private static (int ExitCode, string Stdout, string Stderr) RunProcess(params string[] args) => CliProcess.Run(null, args);

    [Fact]
    public void Info_reports_the_profile_the_cpu_device_and_the_shim_decision()
    {
        var (code, stdout, stderr) = RunProcess("info", "--profile", "smoke", "--set", "Runtime:Device=cpu");

        code.Should().Be(0, stderr);
        stdout.Should().Contain("profile         smoke").And.Contain("device          cpu").And.Contain("libstdc++ shim").And.Contain("libtorch");
        stdout.Should().Contain("backend         TorchSharp-cpu (built with -p:TorchBackend=cpu)", "the tests build the default backend")
            .And.Contain("precision       full float32 (CPU: no reduced-precision math)");
    }

    [Fact]
    public void The_executable_exits_2_on_an_unknown_option()
    {
        var (code, stdout, stderr) = RunProcess("verify", "--bogus");

        code.Should().Be(2);
        stdout.Should().BeEmpty();
        stderr.Trim().Should().Be("error: Unrecognized command or argument '--bogus' (see 'grokking verify --help')");
    }

    [Fact]
    public void Root_help_lists_every_command_and_the_shared_options()
    {
        var (code, stdout, stderr) = Run("--help");

        code.Should().Be(0);
        stderr.Should().BeEmpty();
        stdout.Should().Contain("grokking [command] [options]")
            .And.Contain("--profile <smoke|ci|paper>")
            .And.Contain("--config <FILE.json>")
            .And.Contain("--set <Section:Key=value>")
            .And.Contain("GROKKING__Section__Key=value")
            .And.Contain("Exit codes: 0 ok; 1 a runtime failure").And.Contain("2 a usage or configuration error")
            .And.Contain("3 a verdict named in verify --fail-on (an ERROR claim outranks it: 1; DATA MISSING exits 0")
            .And.Contain("130 interrupted (train, verify)");
        foreach (string command in new[] { "verify", "baselines", "info", "train", "bench", "help" })
        {
            stdout.Should().MatchRegex($"(?m)^  {command} ", $"'{command}' is a command");
        }
    }

    [Theory]
    [InlineData]
    [InlineData("help")]
    public void A_bare_grokking_and_help_print_the_root_help(params string[] args)
    {
        var (code, stdout, _) = Run(args);

        code.Should().Be(0);
        stdout.Should().Be(Run("--help").Stdout);
    }

    [Fact]
    public void Verify_help_shows_its_own_and_the_shared_options()
    {
        var (code, stdout, stderr) = Run("verify", "--help");

        code.Should().Be(0);
        stderr.Should().BeEmpty();
        stdout.Should().Contain("grokking verify [options]")
            .And.Contain("--claims <MC-*,PB-1>")
            .And.Contain("--fail-on <refuted,inconclusive>")
            .And.Contain("--no-progress")
            .And.Contain("--profile <smoke|ci|paper>")
            .And.Contain("--set <Section:Key=value>")
            .And.NotContain("--out");
        Run("help", "verify").Stdout.Should().Be(stdout);
    }

    [Fact]
    public void Train_help_says_that_the_same_out_resumes()
    {
        var (code, stdout, _) = Run("train", "--help");

        code.Should().Be(0);
        stdout.Should().Contain("--out <DIR>").And.Contain("resumed").And.NotContain("--resume");
    }

    [Theory]
    [InlineData("verify --bogus", "'--bogus'", "grokking verify --help")]
    [InlineData("train --resume", "'--resume'", "grokking train --help")]
    [InlineData("train --force", "'--force'", "grokking train --help")]
    [InlineData("info --claims MC-1", "'--claims'", "grokking info --help")]
    [InlineData("frobnicate", "'frobnicate'", "grokking --help")]
    [InlineData("baselines", "Required command was not provided", "grokking baselines --help")]
    public void An_unknown_option_or_command_exits_2_with_one_line_naming_it(string commandLine, string named, string hint)
    {
        var (code, stdout, stderr) = Run(commandLine.Split(' '));

        code.Should().Be(2);
        stdout.Should().BeEmpty("no help text follows a usage error");
        stderr.Trim().Should().StartWith("error: ").And.Contain(named).And.Contain(hint).And.NotContain("\n");
    }

    [Theory]
    [InlineData("info", "--profile", "bogus")]
    [InlineData("--profile", "bogus", "verify")]
    [InlineData("info", "--profile", "1")]
    public void A_bad_profile_exits_2_naming_the_option_and_the_allowed_values(params string[] args)
    {
        var (code, _, stderr) = Run(args);

        code.Should().Be(2);
        stderr.Trim().Should().StartWith("error: Invalid value for '--profile': ")
            .And.Contain("allowed: smoke, ci, paper").And.NotContain("\n");
    }

    [Theory]
    [InlineData("--epochs", "0")]
    [InlineData("--epochs", "abc")]
    [InlineData("--members", "-2")]
    public void Bench_counts_must_be_positive_integers(string option, string value)
    {
        var (code, _, stderr) = Run("bench", option, value);

        code.Should().Be(2);
        stderr.Trim().Should().StartWith($"error: Invalid value for '{option}': '{value}'; allowed: an integer >= 1");
    }

    [Theory]
    [InlineData("Nonsense:Key=1", "Nonsense:Key")]
    [InlineData("Train:BatchSize=-3", "Train:BatchSize")]
    [InlineData("Train:BachSize=3", "did you mean 'Train:BatchSize'")]
    public void A_bad_key_or_value_exits_2_with_one_line_naming_it(string assignment, string expected)
    {
        var (code, _, stderr) = Run("info", "--set", assignment);

        code.Should().Be(2);
        stderr.Trim().Should().StartWith("error: ").And.Contain(expected).And.NotContain("\n", "the error is one line, not a stack trace");
    }

    [Fact]
    public void A_norm_on_an_mlp_exits_2_with_one_line_naming_Model_Norm()
    {
        var (code, _, stderr) = Run("info", "--set", "Model:Kind=mlp", "--set", "Data:Kind=teacherstudent", "--set", "Model:Norm=layernorm");

        code.Should().Be(2);
        stderr.Trim().Should().StartWith("error: Invalid value for 'Model:Norm': ").And.NotContain("\n");
    }

    [Fact]
    public void A_missing_config_file_exits_2_naming_it()
    {
        var (code, _, stderr) = Run("info", "--config", "no-such-file.json");

        code.Should().Be(2);
        stderr.Trim().Should().Be("error: Configuration file 'no-such-file.json' does not exist");
    }

    [Theory]
    [InlineData("maybe")]
    [InlineData("refuted,maybe")]
    public void An_unknown_fail_on_value_is_a_usage_error(string value)
    {
        var (code, _, stderr) = Run("verify", "--fail-on", value);

        code.Should().Be(2);
        stderr.Trim().Should().StartWith("error: Invalid value for '--fail-on': 'maybe'; allowed: refuted, inconclusive");
    }
}
