using Grokking.Configuration;

namespace Grokking.Tests.Unit.Configuration;

/// <summary>The claim tests (dotnet test) refuse experiment settings as verify does, rather than ignoring them.</summary>
public sealed class ClaimSettingsScopeTests
{
    [Theory]
    [InlineData("Train:Epochs=1", "Train:Epochs")]
    [InlineData("Model:DModel=64", "Model:DModel")]
    [InlineData("Data:Modulus=31", "Data:Modulus")]
    public void An_experiment_key_is_refused_naming_it_its_origin_and_the_command(string set, string key)
    {
        var load = () => ClaimSettingsScope.Load(new ConfigurationSources(Overrides: [set], EnvironmentVariables: false), null, "dotnet test");

        load.Should().Throw<OptionsException>()
            .Which.Message.Should().StartWith($"'{key}' (set by --set {set}) does not apply to 'dotnet test'")
            .And.Contain("allowed here: Profile, Runtime:*, Output:*, Data:ImagesDirectory");
    }

    [Fact]
    public void Profile_runtime_output_and_data_locations_are_taken()
    {
        var options = ClaimSettingsScope.Load(
            new ConfigurationSources(
                Overrides: ["Profile=smoke", "Runtime:Threads=1", "Output:ReportDirectory=/tmp/r", "Data:ImagesDirectory=/tmp/img"],
                EnvironmentVariables: false),
            null,
            "dotnet test");

        options.Runtime.Threads.Should().Be(1);
        options.Output.ReportDirectory.Should().Be("/tmp/r");
        options.Data.ImagesDirectory.Should().Be("/tmp/img");
    }
}
