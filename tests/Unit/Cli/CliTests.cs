using System.Diagnostics;

namespace Grokking.Tests.Unit.Cli;

/// <summary>The grokking command as a user runs it: exit codes and one-line errors, no stack traces.</summary>
public class CliTests
{
    private static (int ExitCode, string Stdout, string Stderr) Run(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Grokking.Cli.dll"));
        foreach (string a in args)
        {
            start.ArgumentList.Add(a);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        string stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, stdout.Result, stderr);
    }

    [Fact]
    public void Info_reports_the_cpu_device_and_the_shim_decision()
    {
        var (code, stdout, _) = Run("info", "--set", "Runtime:Device=cpu");

        code.Should().Be(0);
        stdout.Should().Contain("device          cpu").And.Contain("libstdc++ shim").And.Contain("libtorch");
    }

    [Theory]
    [InlineData("Nonsense:Key=1", "Nonsense:Key")]
    [InlineData("Train:BatchSize=-3", "Train:BatchSize")]
    [InlineData("Train:BachSize=3", "did you mean 'Train:BatchSize'")]
    public void A_bad_key_or_value_exits_2_with_one_line_naming_it(string assignment, string expected)
    {
        var (code, _, stderr) = Run("info", "--set", assignment);

        code.Should().Be(2);
        stderr.Trim().Should().Contain(expected).And.NotContain("\n", "the error is one line, not a stack trace");
    }

    [Fact]
    public void An_unknown_fail_on_value_is_a_usage_error()
    {
        var (code, _, stderr) = Run("verify", "--fail-on", "maybe");

        code.Should().Be(2);
        stderr.Should().Contain("allowed: refuted, inconclusive");
    }
}
