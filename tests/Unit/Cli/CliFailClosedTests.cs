using System.Text.RegularExpressions;
using Grokking.Claims;
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
    /// <summary>What the messages list as known: every claim id, in catalog order.</summary>
    private static readonly string AllClaims =
        string.Join(", ", ClaimCatalog.Load(Path.Combine(RepositoryLocator.Find(), "claims")).Claims.Select(c => c.Id));

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
    [InlineData("magic", "not a tensor file: it starts with 0x4B4E554A, not \"GORK\", \"GRK2\" or \"GRK3\"")]
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

    // ------------------------------------------------------------------ list options

    [Theory]
    [InlineData("verify|--claims|", "Invalid value for '--claims': '' is empty; allowed: claim ids or patterns such as MC-*, comma-separated")]
    [InlineData("verify|--claims| ", "Invalid value for '--claims': ' ' is empty")]
    [InlineData("verify|--claims|MC-1,", "Invalid value for '--claims': 'MC-1,' has an empty element")]
    [InlineData("verify|--claims|MC-1,,MC-2", "Invalid value for '--claims': 'MC-1,,MC-2' has an empty element")]
    [InlineData("verify|--claims|MC-1|--claims|", "Invalid value for '--claims': '' is empty")]
    [InlineData("verify|--claims", "Required argument missing for option: '--claims'")]
    [InlineData("verify|--fail-on|", "Invalid value for '--fail-on': '' is empty; allowed: refuted, inconclusive")]
    [InlineData("verify|--fail-on|refuted,", "Invalid value for '--fail-on': 'refuted,' has an empty element; allowed: refuted, inconclusive")]
    [InlineData("verify|--fail-on", "Required argument missing for option: '--fail-on'")]
    public void A_list_option_that_is_empty_or_has_an_empty_element_exits_2_naming_the_option_and_the_element(string commandLine, string named)
    {
        var (code, stdout, stderr) = Run(commandLine.Split('|'));

        code.Should().Be(2);
        stdout.Should().BeEmpty();
        stderr.Trim().Should().StartWith($"error: {named}").And.EndWith("(see 'grokking verify --help')").And.NotContain("\n");
    }

    [Theory]
    [InlineData("MC-1,NOPE", "'NOPE'")]
    [InlineData("XY-*,MC-*", "'XY-*'")]
    [InlineData("NOPE,MC-1,PB-9", "'NOPE', 'PB-9'")]
    public void A_claims_element_that_matches_no_claim_exits_2_naming_it_before_anything_runs(string claims, string named)
    {
        string dir = EngineFixtures.TempDirectory();
        string report = Path.Combine(dir, "report");
        string cache = Path.Combine(dir, "cache");

        var (code, stdout, stderr) = Run(
            "verify", "--claims", claims, "--profile", "smoke", "--no-progress",
            "--set", $"Output:ReportDirectory={report}", "--set", $"Output:CacheDirectory={cache}");

        code.Should().Be(2);
        stdout.Should().BeEmpty();
        stderr.Trim().Should().Be($"error: Invalid value for '--claims': no claim matches {named}; known: {AllClaims}");
        Directory.Exists(report).Should().BeFalse("nothing ran, so no report was written");
        Directory.Exists(cache).Should().BeFalse();
    }

    [Fact]
    public void Verify_plan_measures_the_selections_runs_and_trains_writes_and_caches_nothing()
    {
        string dir = EngineFixtures.TempDirectory();
        string report = Path.Combine(dir, "report");
        string cache = Path.Combine(dir, "cache");

        var (code, stdout, stderr) = Run(
            "verify", "--plan", "--claims", "PB-1", "--profile", "smoke",
            "--set", $"Output:ReportDirectory={report}", "--set", $"Output:CacheDirectory={cache}");

        code.Should().Be(0, stderr);
        // PB-1 reads the one- and two-layer arms; each gets a measured row, then the totals and what the table leaves out.
        var rows = stdout.Split('\n').Where(l => l.StartsWith("pb-", StringComparison.Ordinal)).ToList();
        rows.Select(r => r.Split(' ')[0]).Should().BeEquivalentTo("pb-layernorm", "pb-layernorm-2");
        stdout.Should().Contain("total: projected").And.Contain("at the roofline").And.Contain("not in the table: the claims' analyses");
        Directory.Exists(report).Should().BeFalse("a plan writes no report");
        Directory.Exists(cache).Should().BeFalse("a plan trains nothing");
    }

    [Fact]
    public void Verify_record_without_plan_exits_2_before_anything_runs()
    {
        var (code, stdout, stderr) = Run("verify", "--record", "--profile", "smoke");

        code.Should().Be(2);
        stdout.Should().BeEmpty();
        stderr.Trim().Should().Be("error: Invalid value for '--record': it records what --plan measures; add --plan (see 'grokking verify --help')");
    }

    [Fact]
    public void Verify_variants_reruns_the_claims_under_each_declared_alternative_and_says_whether_each_verdict_holds()
    {
        string dir = EngineFixtures.TempDirectory();
        string report = Path.Combine(dir, "report");
        string cache = Path.Combine(dir, "cache");

        var (code, stdout, stderr) = Run(
            "verify", "--variants", "--claims", "MC-1", "--profile", "smoke", "--no-progress",
            "--set", $"Output:ReportDirectory={report}", "--set", $"Output:CacheDirectory={cache}");

        code.Should().Be(0, stderr);
        stdout.Should().Contain("variant mc-grokking/train-fraction-0.3 (MC's train fraction (0.4, borrowed from PB)): MC-1")
            .And.Contain("MC-1: holds under all alternatives (train-fraction-0.3)");
        File.ReadAllText(Path.Combine(report, "variants.json")).Should().Contain("\"variant\": \"train-fraction-0.3\"");
        File.Exists(Path.Combine(report, "variants", "mc-grokking", "train-fraction-0.3", "report.md")).Should().BeTrue();
        // The alternative's run is its own cache entry, trained at its train fraction.
        string config = File.ReadAllText(Directory.GetFiles(cache, "config.json", SearchOption.AllDirectories).Single());
        config.Should().Contain("\"TrainFraction\": 0.3");
    }

    [Fact]
    public void Verify_variants_with_plan_exits_2()
    {
        var (code, _, stderr) = Run("verify", "--variants", "--plan", "--profile", "smoke");

        code.Should().Be(2);
        stderr.Should().Contain("Invalid value for '--variants'");
    }

    [Fact]
    public void Verify_variant_without_variants_or_naming_no_declared_alternative_exits_2_with_one_line()
    {
        var (code, _, stderr) = Run("verify", "--variant", "lr-0.01", "--profile", "smoke");
        code.Should().Be(2);
        stderr.Should().Contain("Invalid value for '--variant'").And.Contain("add --variants");

        var (unknown, _, error) = Run("verify", "--variants", "--variant", "no-such-alternative", "--profile", "smoke", "--no-progress");
        unknown.Should().Be(2);
        error.Trim().Split('\n').Should().ContainSingle().Which.Should()
            .StartWith("Invalid value for '--variant': no-such-alternative; declared:").And.Contain("mc-grokking/lr-0.01");
    }

    // ------------------------------------------------------------------ baselines accept

    [Theory]
    [InlineData("garbage", "not JSON \\(.*\\)")]
    [InlineData("smoke/MC-2", "'id' is 'MC-2', but the file is named for MC-1")]
    [InlineData("ci/MC-1", "'profile' is 'ci', but the file is in the smoke baselines")]
    public void Accepting_a_received_file_that_is_no_baseline_exits_1_naming_it_and_changes_no_file(string content, string problem)
    {
        using var checkout = new Checkout();
        checkout.Receive("MC-1", content == "garbage" ? "not json {\n" : checkout.Committed(content));
        var before = Files(checkout.Root);

        var (code, stdout, stderr) = Run("baselines", "accept", "MC-1", "--profile", "smoke");

        code.Should().Be(1);
        stdout.Should().BeEmpty();
        stderr.Trim().Should().MatchRegex(
            $"^error: baselines/smoke/MC-1.received.json: {problem}; "
            + "nothing was accepted; delete it, or verify the claim again to write a new one$");
        stderr.Trim().Should().NotContain("\n");
        Files(checkout.Root).Should().BeEquivalentTo(before, "the verified baseline and the received file stay as they were");
    }

    [Theory]
    [InlineData("NOPE", "'NOPE' is not a claim")]
    [InlineData("MC-1|NOPE", "'NOPE' is not a claim")]
    [InlineData("MC-*", "'MC-*' is not a claim")]
    [InlineData("MC-1|", "'' is empty")]
    public void Accepting_an_id_that_is_not_a_claim_exits_2_naming_it_and_changes_no_file(string ids, string problem)
    {
        using var checkout = new Checkout();
        checkout.Receive("MC-1", checkout.Committed("smoke/MC-1").Replace("\"inconclusive\"", "\"refuted\"", StringComparison.Ordinal));
        var before = Files(checkout.Root);

        var (code, stdout, stderr) = Run(["baselines", "accept", .. ids.Split('|'), "--profile", "smoke"]);

        code.Should().Be(2);
        stdout.Should().BeEmpty();
        stderr.Trim().Should().Be($"error: Invalid value for 'ID': {problem}; known: {AllClaims}");
        Files(checkout.Root).Should().BeEquivalentTo(before, "not even the valid MC-1 is accepted");
    }

    [Fact]
    public void Accepting_a_claim_without_a_received_file_says_so_and_changes_no_file()
    {
        using var checkout = new Checkout();
        var before = Files(checkout.Root);

        var (code, stdout, stderr) = Run("baselines", "accept", "mc-2", "--profile", "smoke");

        code.Should().Be(0, stderr);
        stdout.Trim().Should().Be(
            "MC-2: no MC-2.received.json in baselines/smoke (its run matched the baseline, or has not run); baseline unchanged");
        Files(checkout.Root).Should().BeEquivalentTo(before);
    }

    [Fact]
    public void Accepting_a_valid_received_file_replaces_the_baseline()
    {
        using var checkout = new Checkout();
        string received = checkout.Committed("smoke/MC-1").Replace("\"inconclusive\"", "\"refuted\"", StringComparison.Ordinal);
        checkout.Receive("MC-1", received);

        var (code, stdout, stderr) = Run("baselines", "accept", "--profile", "smoke");

        code.Should().Be(0, stderr);
        stdout.Trim().Should().Be("accepted MC-1 into baselines/smoke");
        File.ReadAllText(Path.Combine(checkout.Root, "baselines", "smoke", "MC-1.verified.json")).Should().Be(received);
        File.Exists(Path.Combine(checkout.Root, "baselines", "smoke", "MC-1.received.json")).Should().BeFalse();
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

    /// <summary>
    /// A checkout of its own (the solution marker, a copy of claims/, two smoke baselines) made the working directory,
    /// where the repository is looked for first: accepting baselines here never touches the real ones.
    /// </summary>
    private sealed class Checkout : IDisposable
    {
        private readonly string previous = Directory.GetCurrentDirectory();
        private readonly string repository = RepositoryLocator.Find();

        public Checkout()
        {
            Root = EngineFixtures.TempDirectory();
            File.WriteAllText(Path.Combine(Root, RepositoryLocator.Marker), "");
            EngineFixtures.CopyDirectory(Path.Combine(repository, "claims"), Path.Combine(Root, "claims"));
            Directory.CreateDirectory(Path.Combine(Root, "baselines", "smoke"));
            foreach (string id in new[] { "MC-1", "MC-2" })
            {
                File.WriteAllText(Path.Combine(Root, "baselines", "smoke", $"{id}.verified.json"), Committed($"smoke/{id}"));
            }

            Directory.SetCurrentDirectory(Root);
        }

        public string Root { get; }

        /// <summary>The repository's accepted baseline "profile/ID".</summary>
        public string Committed(string profileAndId) => File.ReadAllText(Path.Combine(repository, "baselines", $"{profileAndId}.verified.json"));

        public void Receive(string id, string content) => File.WriteAllText(Path.Combine(Root, "baselines", "smoke", $"{id}.received.json"), content);

        public void Dispose() => Directory.SetCurrentDirectory(previous);
    }
}
