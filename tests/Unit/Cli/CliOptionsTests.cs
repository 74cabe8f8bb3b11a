using Grokking.Claims;
using Grokking.Claims.Contracts;
using Grokking.Cli;
using Grokking.Configuration;
using Grokking.Tests.Unit.Engine;

namespace Grokking.Tests.Unit.Cli;

/// <summary>What the parsed options hand to the library, and the completions the [suggest] directive offers.</summary>
[Collection(ProcessEnvironmentCollection.Name)]
public class CliOptionsTests
{
    [Fact]
    public void Profile_config_and_set_reach_the_configuration_in_their_layer_order()
    {
        string dir = EngineFixtures.TempDirectory();
        string first = Path.Combine(dir, "first.json");
        string second = Path.Combine(dir, "second.json");
        File.WriteAllText(first, """{ "Train": { "Epochs": 11, "MetricsEvery": 3 } }""");
        File.WriteAllText(second, """{ "Train": { "MetricsEvery": 4 } }""");
        var cli = new GrokkingCommand();

        var parsed = cli.Parse(["--profile", "smoke", "info", "--config", first, "--config", second, "--set", "Train:BatchSize=256", "--set=Optimizer:WeightDecay=0.5"]);
        var sources = cli.Shared.Sources(parsed);
        var options = cli.Shared.Load(parsed);

        parsed.Errors.Should().BeEmpty();
        sources.JsonFiles.Should().Equal(first, second);
        sources.Overrides.Should().Equal("Profile=smoke", "Train:BatchSize=256", "Optimizer:WeightDecay=0.5");
        options.Profile.Should().Be(Profile.Smoke);
        options.Data.Modulus.Should().Be(23, "the smoke profile's layer is applied");
        options.Train.Epochs.Should().Be(11, "the first file sets it");
        options.Train.MetricsEvery.Should().Be(4, "the later file wins");
        options.Train.BatchSize.Should().Be(256, "--set wins over the profile's 64");
        options.Optimizer.WeightDecay.Should().Be(0.5);
    }

    [Fact]
    public void Without_shared_options_no_layer_is_added()
    {
        var cli = new GrokkingCommand();

        var sources = cli.Shared.Sources(cli.Parse(["info"]));

        sources.JsonFiles.Should().BeEmpty();
        sources.Overrides.Should().BeEmpty();
    }

    [Fact]
    public void Claims_and_fail_on_take_comma_separated_and_repeated_values()
    {
        var parsed = new GrokkingCommand().Parse(["verify", "--claims", "MC-1, PB-*", "--claims", "MC-2", "--fail-on", "Refuted,inconclusive", "--no-progress"]);

        parsed.Errors.Should().BeEmpty();
        parsed.GetValue<string[]>("--claims").Should().Equal("MC-1", "PB-*", "MC-2");
        parsed.GetValue<Verdict[]>("--fail-on").Should().Equal(Verdict.Refuted, Verdict.Inconclusive);
        parsed.GetValue<bool>("--no-progress").Should().BeTrue();
    }

    [Fact]
    public void Bench_defaults_are_8_members_and_20_epochs()
    {
        var parsed = new GrokkingCommand().Parse(["bench"]);

        parsed.GetValue<int>("--members").Should().Be(8);
        parsed.GetValue<int>("--epochs").Should().Be(20);
        new GrokkingCommand().Parse(["bench", "--members", "3", "--epochs", "7"]).GetValue<int>("--members").Should().Be(3);
    }

    [Theory]
    [InlineData("verify --profile ", "ci", "paper", "smoke")]
    [InlineData("verify --fail-on ", "inconclusive", "refuted")]
    [InlineData("info --profile p", "paper")]
    public void The_suggest_directive_completes_option_values(string line, params string[] expected)
    {
        var (code, stdout) = Suggest(line);

        code.Should().Be(0);
        stdout.Should().Equal(expected);
    }

    [Fact]
    public void The_suggest_directive_completes_commands_options_and_claim_ids()
    {
        Suggest("ver").Stdout.Should().Contain("verify").And.NotContain(["info", "train", "bench"]);
        Suggest("verify --fa").Stdout.Should().Equal("--fail-on");
        Suggest("verify --claims MC").Stdout.Should().Contain(["MC-1", "MC-2"]);
    }

    private static (int Code, string[] Stdout) Suggest(string line)
    {
        using var stdout = new StringWriter();
        int code = Program.Run([$"[suggest:{line.Length}]", line], stdout, TextWriter.Null);
        return (code, stdout.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
    }
}
