using System.Security.Cryptography;
using Grokking.Claims;
using Grokking.Cli;
using Grokking.Configuration;
using Grokking.Tests.Unit.Engine;

namespace Grokking.Tests.Unit.Cli;

/// <summary>
/// The configuration half of issue 26's corpus: command lines, --config files, environment variables and claim files
/// a hostile but fair user could write. Each case asserts the exit code (2 for a configuration mistake, 1 for damaged
/// data), that the one-line message names the culprit (option, key, variable, file with 1-based line and column), and
/// that no file that existed before changed (digests of the scratch folder, and no output directory created).
/// Everything stops before any training, so the whole file runs in seconds.
/// </summary>
[Collection(ProcessEnvironmentCollection.Name)]
public sealed class ConfigFaultCorpusTests
{
    private static (int ExitCode, string Stdout, string Stderr) Run(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        int code = Program.Run(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString().Trim());
    }

    /// <summary>Runs a command that must fail with <paramref name="exitCode"/> and one stderr line; returns that line.</summary>
    private static string Fails(int exitCode, string scratch, params string[] args)
    {
        var before = Digests(scratch);
        var (code, stdout, stderr) = Run(args);
        code.Should().Be(exitCode, stderr);
        stderr.Should().StartWith("error: ").And.NotContain("\n", "one line, no stack trace");
        stdout.Should().NotContain("training", "nothing started");
        Digests(scratch).Should().BeEquivalentTo(before, "a refused command changes no file");
        return stderr;
    }

    /// <summary>A scratch folder with one file in it, so "no file changed" compares something; Output keys point into it.</summary>
    private static (string Dir, string[] Outputs) Scratch()
    {
        string dir = EngineFixtures.TempDirectory();
        File.WriteAllText(Path.Combine(dir, "keep.txt"), "an earlier file");
        return (dir, [
            "--set", $"Output:ReportDirectory={Path.Combine(dir, "report")}",
            "--set", $"Output:CacheDirectory={Path.Combine(dir, "cache")}",
            "--set", $"Output:RunsDirectory={Path.Combine(dir, "runs")}"]);
    }

    private static Dictionary<string, string> Digests(string root) =>
        Directory.GetFiles(root, "*", SearchOption.AllDirectories)
            .ToDictionary(f => Path.GetRelativePath(root, f), f => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(f))));

    // ------------------------------------------------------------------ list values in --set (every command)

    [Theory]
    [InlineData("info", "Population:Seeds=0,,1", "'Population:Seeds': '0,,1' has an empty element")]
    [InlineData("train", "Population:Seeds=0,", "'Population:Seeds': '0,' has an empty element")]
    [InlineData("bench", "Population:LearningRates=", "'Population:LearningRates': '' is an empty list")]
    [InlineData("info", "Model:Hidden= ", "'Model:Hidden': ' ' is an empty list")]
    [InlineData("train", "Population:Seeds:5=3", "'Population:Seeds:5': index 5 leaves a gap (index 1 is not set)")]
    [InlineData("bench", "Population:WeightDecays:1=0.5", "'Population:WeightDecays:1': index 1 leaves a gap (index 0 is not set)")]
    [InlineData("info", "Population:Seeds=0,x", "'Population:Seeds': 'x' is not an integer")]
    public void A_list_value_that_is_empty_has_an_empty_element_or_leaves_a_gap_exits_2_naming_the_key(string command, string set, string named)
    {
        var (dir, outputs) = Scratch();

        string error = Fails(2, dir, [command, "--profile", "smoke", .. outputs, "--set", set]);

        error.Should().StartWith($"error: Invalid value for {named}").And.EndWith($"(set by --set {set})");
        Directory.Exists(Path.Combine(dir, "runs")).Should().BeFalse();
    }

    [Fact]
    public void A_list_is_set_whole_index_by_index_from_0_or_empty_with_brackets()
    {
        Load("Population:Seeds:1=3").Population.Seeds.Should().Equal(0, 3);
        Load("Population:Seeds=4,5").Population.Seeds.Should().Equal(4, 5);
        Load("Population:WeightDecays=[]").Population.WeightDecays.Should().BeEmpty();
    }

    [Fact]
    public void An_empty_json_array_in_a_config_file_is_empty_and_not_the_default()
    {
        var (dir, _) = Scratch();
        string file = Path.Combine(dir, "empty.json");
        File.WriteAllText(file, """{ "Model": { "Kind": "mlp", "Hidden": [] }, "Data": { "Kind": "teacherstudent" } }""");

        GrokkingConfiguration.Load(new ConfigurationSources([file], [], false)).Model.Hidden.Should().BeEmpty("[] is a list, not 'use the default [100, 100]'");
        string seeds = Path.Combine(dir, "seeds.json");
        File.WriteAllText(seeds, """{ "Population": { "Seeds": [] } }""");
        var load = () => GrokkingConfiguration.Load(new ConfigurationSources([seeds], [], false));
        load.Should().Throw<OptionsException>().WithMessage($"Invalid value for 'Population:Seeds': at least one seed is required (set by --config {seeds})");
    }

    // ------------------------------------------------------------------ --config files: duplicates, syntax, positions

    [Theory]
    [InlineData("{\"Train\":{\"Epochs\":3,\"Epochs\":4}}", "'Train:Epochs' at line 1, column 22")]
    [InlineData("{\n  \"Train\": {\n    \"Epochs\": 3,\n    \"epochs\": 4\n  }\n}", "'Train:epochs' at line 4, column 5")]
    [InlineData("{ \"Data\": { \"Modulus\": 7 },\n  \"Data\": { \"Modulus\": 11 } }", "'Data' at line 2, column 3")]
    [InlineData("{ \"Population\": { \"Seeds\": [0, 1] }, \"population\": { \"Seeds\": [2] } }", "'population' at line 1, column 38")]
    public void A_config_file_that_repeats_a_key_exits_2_naming_the_file_the_key_and_its_1_based_position(string json, string named)
    {
        var (dir, outputs) = Scratch();
        string file = Path.Combine(dir, "dup.json");
        File.WriteAllText(file, json);

        string error = Fails(2, dir, ["info", "--config", file, .. outputs]);

        error.Should().Be($"error: Configuration file '{file}' repeats the key {named}; keep one of the two");
    }

    [Theory]
    [InlineData("{\"Train\":{\"Epochs\":3,\n  \"X\" 4}}", "line 2, column 7", "'4' is invalid after a property name. Expected a ':'")]
    [InlineData("{\"Train\": [}", "line 1, column 12", "'}' is an invalid start of a value")]
    [InlineData("", "line 1, column 1", "The input does not contain any JSON tokens")]
    public void A_malformed_config_file_exits_2_naming_the_file_and_the_1_based_line_and_column(string json, string position, string problem)
    {
        var (dir, outputs) = Scratch();
        string file = Path.Combine(dir, "bad.json");
        File.WriteAllText(file, json);

        string error = Fails(2, dir, ["train", "--config", file, .. outputs]);

        error.Should().StartWith($"error: Configuration file '{file}' is not valid JSON at {position}: ").And.Contain(problem);
        error.Should().NotContain("LineNumber").And.NotContain("BytePositionInLine");
    }

    [Theory]
    [InlineData("missing.json", "does not exist")]
    [InlineData("folder", "is a directory; name a JSON file")]
    public void A_config_path_that_is_no_file_exits_2_naming_it(string name, string problem)
    {
        var (dir, outputs) = Scratch();
        Directory.CreateDirectory(Path.Combine(dir, "folder"));
        string path = Path.Combine(dir, name);

        Fails(2, dir, ["bench", "--config", path, .. outputs]).Should().Be($"error: Configuration file '{path}' {problem}");
    }

    [Fact]
    public void A_bad_value_in_a_config_file_names_the_file_that_set_it()
    {
        var (dir, outputs) = Scratch();
        string file = Path.Combine(dir, "x.json");
        File.WriteAllText(file, """{ "Train": { "BatchSize": -3 } }""");

        string error = Fails(2, dir, ["info", "--config", file, .. outputs]);

        error.Should().Be($"error: Invalid value for 'Train:BatchSize': -3 is out of range; allowed: >= 0 and <= 1E+08 (set by --config {file})");
    }

    // ------------------------------------------------------------------ environment variables

    [Theory]
    [InlineData("info", "GROKKING__Train__Epochs", "bad", "error: Invalid value for 'Train:Epochs': 'bad' is not an integer")]
    [InlineData("train", "GROKKING__Train__Epochz", "3", "error: Unknown configuration key 'Train:Epochz'; did you mean 'Train:Epochs'?")]
    [InlineData("info", "grokking__profile", "huge", "error: Invalid value for 'Profile': 'huge'; allowed: smoke, ci, paper")]
    [InlineData("bench", "GROKKING__Population__Seeds", "1,,2", "error: Invalid value for 'Population:Seeds': '1,,2' has an empty element")]
    public void A_bad_environment_variable_exits_2_naming_the_variable(string command, string variable, string value, string message)
    {
        var (dir, outputs) = Scratch();
        Environment.SetEnvironmentVariable(variable, value);
        try
        {
            string error = Fails(2, dir, [command, .. outputs]);

            error.Should().StartWith(message).And.EndWith($"(set by environment variable {variable})");
        }
        finally
        {
            Environment.SetEnvironmentVariable(variable, null);
        }
    }

    // ------------------------------------------------------------------ Output directories

    [Theory]
    [InlineData("Output:CacheDirectory=", "'Output:CacheDirectory': is empty; name a directory")]
    [InlineData("Output:ReportDirectory= ", "'Output:ReportDirectory': is empty; name a directory")]
    [InlineData("Output:ReportDirectory=claims", "'Output:ReportDirectory': 'claims' lies in the repository's claims/ folder")]
    [InlineData("Output:CacheDirectory=baselines/cache", "'Output:CacheDirectory': 'baselines/cache' lies in the repository's baselines/ folder")]
    [InlineData("Output:ReportDirectory=src/", "'Output:ReportDirectory': 'src/' lies in the repository's src/ folder")]
    [InlineData("Output:ReportDirectory=.", "'Output:ReportDirectory': '.' is the repository root")]
    [InlineData("Output:CacheDirectory=<root>", "'Output:CacheDirectory': '<root>' is the repository root")]
    [InlineData("Output:HistoryFile=claims/history.db", "'Output:HistoryFile': 'claims/history.db' lies in the repository's claims/ folder")]
    public void An_output_directory_that_is_empty_or_the_repositorys_own_folder_exits_2_naming_the_key(string set, string named)
    {
        var (dir, outputs) = Scratch();
        string root = RepositoryLocator.Find();
        var before = Digests(Path.Combine(root, "claims"));
        set = set.Replace("<root>", root, StringComparison.Ordinal);

        string error = Fails(2, dir, ["verify", "--profile", "smoke", "--claims", "MC-1", .. outputs, "--set", set]);

        error.Should().StartWith($"error: Invalid value for {named.Replace("<root>", root, StringComparison.Ordinal)}")
            .And.EndWith($"(set by --set {set})");
        Digests(Path.Combine(root, "claims")).Should().BeEquivalentTo(before);
    }

    // ------------------------------------------------------------------ verify takes no experiment settings

    [Theory]
    [InlineData("verify", "--set|Train:Epochs=1", "'Train:Epochs' (set by --set Train:Epochs=1) does not apply to 'verify'")]
    [InlineData("verify", "--set|Population:Seeds=0,1", "'Population:Seeds' (set by --set Population:Seeds=0,1) does not apply to 'verify'")]
    [InlineData("baselines|accept|MC-1", "--set|Model:DModel=64", "'Model:DModel' (set by --set Model:DModel=64) does not apply to 'baselines accept'")]
    public void An_experiment_setting_given_to_a_claims_command_exits_2_naming_the_key_and_why(string command, string set, string message)
    {
        var (dir, outputs) = Scratch();

        string error = Fails(2, dir, [.. command.Split('|'), "--profile", "smoke", .. outputs, .. set.Split('|')]);

        error.Should().Be(
            $"error: {message}: claims run with their experiments' committed settings for the profile; "
            + "allowed here: Profile, Runtime:*, Output:*, Data:ImagesDirectory, Data:ReviewsDirectory, Data:MoleculesDirectory; try other settings with 'grokking train'");
        Directory.Exists(Path.Combine(dir, "report")).Should().BeFalse();
    }

    [Fact]
    public void An_experiment_setting_from_a_config_file_or_a_variable_given_to_verify_names_its_source()
    {
        var (dir, outputs) = Scratch();
        string file = Path.Combine(dir, "exp.json");
        File.WriteAllText(file, """{ "Runtime": { "Threads": 1 }, "Data": { "Modulus": 89 } }""");

        Fails(2, dir, ["verify", "--config", file, .. outputs])
            .Should().StartWith($"error: 'Data:Modulus' (set by --config {file}) does not apply to 'verify'");

        Environment.SetEnvironmentVariable("GROKKING__Optimizer__LearningRate", "0.5");
        try
        {
            Fails(2, dir, ["verify", "--claims", "MC-1", .. outputs])
                .Should().StartWith("error: 'Optimizer:LearningRate' (set by environment variable GROKKING__Optimizer__LearningRate)");
        }
        finally
        {
            Environment.SetEnvironmentVariable("GROKKING__Optimizer__LearningRate", null);
        }
    }

    // ------------------------------------------------------------------ claim files

    [Theory]
    [InlineData("PG-4.json", "\"value\": 0.98,\n      \"reason\"", "\"value\": -5,\n      \"reason\"",
        "claims/PG-4.json: 'ruleParameters.minTopTwoShare' is -5, outside its range [0, 1]")]
    [InlineData("PG-4.json", "\"experiment\": \"pg-fractions\",", "\"experiment\": \"pg-fractions\",\n  \"Experiment\": \"mc-grokking\",",
        "claims/PG-4.json: 'Experiment' is repeated at line 15, column 3; keep one of the two")]
    [InlineData("PG-4.json", "\"unit\": \"(lower bound)\"", "\"unit\": \"(lower bound)\",\n      \"unit\": \"%\"",
        "claims/PG-4.json: 'paper.unit' is repeated at line 12, column 7; keep one of the two")]
    [InlineData("PG-4.json", "\"experiment\": \"pg-fractions\",", "\"experiment\": \"pg-fractions\"",
        "claims/PG-4.json: '(root)' is invalid at line 15, column 3: '\"' is invalid after a value. Expected either ',', '}', or ']'")]
    [InlineData("PG-4.json", "\"value\": 0.98,\n      \"reason\"", "\"value\": \"high\",\n      \"reason\"",
        "claims/PG-4.json: 'ruleParameters[0].value' is invalid at line 19, column 22: The JSON value could not be converted")]
    [InlineData("PG-4.json", "\"unit\": \"(lower bound)\"\n    }", "\"unit\": \"(lower bound)\"\n    },\n    { \"name\": \"top-2 share\", \"value\": 0.9 }",
        "claims/PG-4.json: 'paper.top-2 share' is stated twice; give each value its own name")]
    [InlineData("experiments/mc-grokking.json", "\"Modulus\": 97,", "\"Modulus\": 97,\n      \"Modulus\": 89,",
        "claims/experiments/mc-grokking.json: 'options.Data.Modulus' is repeated at line 9, column 7; keep one of the two")]
    public void A_bad_claim_or_experiment_file_exits_2_at_load_naming_the_file_the_field_and_its_1_based_position(
        string file, string find, string replace, string message)
    {
        using var checkout = new ClaimsCheckout();
        string path = Path.Combine(checkout.Root, "claims", file);
        string text = File.ReadAllText(path);
        text.Should().Contain(find, "the case edits the committed file");
        File.WriteAllText(path, text.Replace(find, replace, StringComparison.Ordinal));

        string error = Fails(2, checkout.Root, "verify", "--profile", "smoke", "--claims", "PG-4", "--no-progress");

        error.Should().StartWith($"error: {message}");
        Directory.Exists(Path.Combine(checkout.Root, "report")).Should().BeFalse("nothing ran");
    }

    // ------------------------------------------------------------------ baselines accept: a received file is program output

    [Theory]
    [InlineData("garbage", "not JSON")]
    [InlineData("duplicate", "the file has the field 'verdict' twice")]
    public void Accepting_a_damaged_received_file_exits_1_naming_it_and_the_committed_baseline_stays_byte_identical(string damage, string problem)
    {
        string committed = File.ReadAllText(Path.Combine(RepositoryLocator.Find(), "baselines", "smoke", "MC-1.verified.json"));
        using var checkout = new ClaimsCheckout();
        string folder = Path.Combine(checkout.Root, "baselines", "smoke");
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "MC-1.verified.json"), committed);
        string received = damage == "garbage"
            ? "not json {"
            : committed.Replace("\"verdict\": \"", "\"verdict\": \"confirmed\",\n  \"verdict\": \"", StringComparison.Ordinal);
        File.WriteAllText(Path.Combine(folder, "MC-1.received.json"), received);

        string error = Fails(1, checkout.Root, "baselines", "accept", "MC-1", "--profile", "smoke");

        error.Should().StartWith($"error: baselines/smoke/MC-1.received.json: {problem}").And.Contain("nothing was accepted");
    }

    // ------------------------------------------------------------------ resource guard and damaged data

    [Theory]
    // bench evaluates a path of up to 16 points per model (the measured layout's bound), more than its 8 members: that count leads.
    [InlineData("train", "Data:Modulus=100000", "error: train needs about ", "lower Data:Modulus, Population:Seeds (members)")]
    [InlineData("bench", "Model:DModel=65536", "error: bench needs about ", "lower Landscape:MaxMembers, Model:DModel, Model:DMlp, Model:Layers")]
    public void A_setting_whose_memory_estimate_exceeds_the_memory_available_exits_2_before_allocating(
        string command, string set, string start, string keys)
    {
        var (dir, outputs) = Scratch();
        string run = Path.Combine(dir, "run");
        string[] extra = command == "train" ? ["--out", run, "--no-progress"] : ["--set", "Model:Heads=1", "--set", "Model:DMlp=262144"];

        string error = Fails(2, dir, [command, "--profile", "smoke", .. outputs, "--set", set, .. extra]);

        error.Should().StartWith(start).And.Contain(" is available (").And.EndWith(keys);
        Directory.Exists(run).Should().BeFalse("nothing was allocated or written");
    }

    [Fact]
    public void Gzip_garbage_in_an_idx_file_exits_1_naming_the_file_and_leaves_it_as_it_was()
    {
        var (dir, outputs) = Scratch();
        string images = Path.Combine(dir, "idx");
        Directory.CreateDirectory(images);
        foreach (string name in new[] { "train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte" })
        {
            File.WriteAllBytes(Path.Combine(images, name + ".gz"), [0x1f, 0x8b, .. "not a deflate stream"u8.ToArray()]);
        }

        var before = Digests(images);
        var (code, _, stderr) = Run([
            "train", "--profile", "smoke", "--no-progress", "--out", Path.Combine(dir, "run"), .. outputs,
            "--set", "Data:Kind=images", "--set", "Model:Kind=mlp", "--set", $"Data:ImagesDirectory={images}"]);

        code.Should().Be(1, "damaged data is a runtime failure");
        stderr.Should().StartWith($"error: InvalidDataException: {Path.Combine(images, "train-images-idx3-ubyte.gz")}: starts like gzip but does not decompress")
            .And.NotContain("\n");
        Digests(images).Should().BeEquivalentTo(before);
    }

    private static GrokkingOptions Load(params string[] overrides) =>
        GrokkingConfiguration.Load(new ConfigurationSources([], overrides, EnvironmentVariables: false));

    /// <summary>A checkout of its own (the solution marker and a copy of claims/) made the working directory.</summary>
    private sealed class ClaimsCheckout : IDisposable
    {
        private readonly string previous = Directory.GetCurrentDirectory();

        public ClaimsCheckout()
        {
            Root = EngineFixtures.TempDirectory();
            File.WriteAllText(Path.Combine(Root, RepositoryLocator.Marker), "");
            EngineFixtures.CopyDirectory(Path.Combine(RepositoryLocator.Find(), "claims"), Path.Combine(Root, "claims"));
            Directory.SetCurrentDirectory(Root);
        }

        public string Root { get; }

        public void Dispose() => Directory.SetCurrentDirectory(previous);
    }
}
