using Grokking.Configuration;

namespace Grokking.Tests.Unit.Configuration;

[Collection(ProcessEnvironmentCollection.Name)]
public class GrokkingConfigurationTests
{
    private static GrokkingOptions Load(params string[] overrides) =>
        GrokkingConfiguration.Load(new ConfigurationSources(Overrides: overrides, EnvironmentVariables: false));

    [Fact]
    public void Defaults_bind_to_the_MC_setup_under_the_ci_profile()
    {
        var options = Load();

        options.Profile.Should().Be(Profile.Ci);
        options.Data.Operation.Should().Be(ModularOperation.Multiply);
        options.Data.Modulus.Should().Be(97);
        options.Train.BatchSize.Should().Be(512);
        options.Optimizer.Name.Should().Be(OptimizerKind.Sgd);
    }

    [Fact]
    public void Profile_layer_applies_and_overrides_win_over_it()
    {
        Load("Profile=smoke").Data.Modulus.Should().Be(23);
        Load("Profile=smoke", "Data:Modulus=31").Data.Modulus.Should().Be(31);
    }

    [Fact]
    public void Arrays_accept_comma_separated_overrides()
    {
        Load("Population:Seeds=3,4,5").Population.Seeds.Should().Equal(3, 4, 5);
    }

    [Fact]
    public void A_shorter_array_in_a_config_file_replaces_the_array_below_it()
    {
        string dir = Path.Combine(Path.GetTempPath(), "grokking-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        string four = Path.Combine(dir, "four.json");
        string two = Path.Combine(dir, "two.json");
        File.WriteAllText(four, """{ "Population": { "Seeds": [0, 1, 2, 3], "WeightDecays": [0.001, 0] } }""");
        File.WriteAllText(two, """{ "Population": { "Seeds": [7, 8] } }""");

        var options = GrokkingConfiguration.Load(new ConfigurationSources(JsonFiles: [four, two], EnvironmentVariables: false));

        options.Population.Seeds.Should().Equal(7, 8);
        options.Population.WeightDecays.Should().Equal(0.001, 0);
        Directory.Delete(dir, true);
    }

    [Fact]
    public void Json_layers_merge_objects_by_key_and_replace_arrays_whole()
    {
        var low = System.Text.Json.Nodes.JsonNode.Parse("""{ "A": { "X": 1, "L": [1, 2, 3] }, "B": "s" }""");
        var high = System.Text.Json.Nodes.JsonNode.Parse("""{ "A": { "L": [9] }, "B": "t" }""");

        var merged = JsonLayers.Merge([low, high]);

        merged.Should().BeEquivalentTo(new Dictionary<string, string?> { ["A:X"] = "1", ["A:L:0"] = "9", ["B"] = "t" });
    }

    [Fact]
    public void Unknown_key_is_named_with_the_nearest_known_key()
    {
        var act = () => Load("Train:BachSize=3");

        act.Should().Throw<OptionsException>()
            .Where(e => e.Key == "Train:BachSize")
            .WithMessage("*did you mean 'Train:BatchSize'*");
    }

    [Theory]
    [InlineData("Train:BatchSize=-3", "Train:BatchSize", "*out of range*")]
    [InlineData("Train:BatchSize=abc", "Train:BatchSize", "*not an integer*")]
    [InlineData("Data:TrainFraction=1.5", "Data:TrainFraction", "*out of range*< 1*")]
    [InlineData("Data:Modulus=1", "Data:Modulus", "*>= 2*")]
    [InlineData("Model:Norm=batchnorm", "Model:Norm", "*allowed: none, layernorm*")]
    [InlineData("Model:Heads=3", "Model:Heads", "*must divide DModel*")]
    [InlineData("Profile=huge", "Profile", "*allowed: smoke, ci, paper*")]
    public void Bad_values_name_the_key_and_what_is_allowed(string assignment, string key, string message)
    {
        var act = () => Load(assignment);

        act.Should().Throw<OptionsException>().Where(e => e.Key == key).WithMessage(message);
    }

    [Theory]
    [InlineData("layernorm")]
    [InlineData("postlayernorm")]
    public void A_norm_is_a_transformer_option_and_an_mlp_with_one_is_refused_naming_Model_Norm(string norm)
    {
        var act = () => Load("Model:Kind=mlp", "Data:Kind=teacherstudent", $"Model:Norm={norm}");

        act.Should().Throw<OptionsException>().Where(e => e.Key == "Model:Norm")
            .WithMessage($"Invalid value for 'Model:Norm'*{norm}*allowed for Kind = mlp: none*");
    }

    [Fact]
    public void An_mlp_without_a_norm_loads()
    {
        Load("Model:Kind=mlp", "Data:Kind=teacherstudent", "Model:Norm=none").Model.Norm.Should().Be(Normalization.None);
    }

    [Fact]
    public void Environment_variables_use_the_GROKKING_prefix()
    {
        Environment.SetEnvironmentVariable("GROKKING__Data__Modulus", "89");
        try
        {
            GrokkingConfiguration.Load(new ConfigurationSources()).Data.Modulus.Should().Be(89);
        }
        finally
        {
            Environment.SetEnvironmentVariable("GROKKING__Data__Modulus", null);
        }
    }

    [Theory]
    [InlineData("{\"a\": 1, \"b\": {\"a\": 2}}", null, null)]
    [InlineData("[{\"x\": 1}, {\"x\": 2}]", null, null)]
    [InlineData("{\"l\": [{\"x\": 1, \"X\": 2}]}", "l.X", "line 1, column 17")]
    [InlineData("// comment\n{\"a\": 1, /* b */ \"a\": 2,}", "a", "line 2, column 18")]
    [InlineData("{\"é\": \"ü\", \"k\": 1,\n \"o\": {\"k\": 1, \"k\": 2}}", "o.k", "line 2, column 16")]
    [InlineData("{\"a\": 1, \"a\"", null, null)]
    [InlineData("{\"é\": 1, \"É\": 2}", "É", "line 1, column 10")]
    [InlineData("{\"a\": [1, }", null, null)]
    public void Json_text_finds_the_first_repeated_key_per_object_ignoring_case_with_a_1_based_position(string json, string? path, string? position)
    {
        var found = JsonText.FirstDuplicateKey(System.Text.Encoding.UTF8.GetBytes(json));

        found.Should().Be(path is null ? null : (path, position!));
    }
}
