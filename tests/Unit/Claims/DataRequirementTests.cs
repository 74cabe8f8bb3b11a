using System.Diagnostics;
using System.Text.Json.Nodes;
using Grokking.Claims;
using Grokking.Claims.Contracts;
using Grokking.Configuration;
using Grokking.Runtime;
using Grokking.Tests.Unit.Engine;

namespace Grokking.Tests.Unit.Claims;

/// <summary>
/// Data a claim's experiment reads from outside the repository: the declaration is checked at load (file and field
/// named), data that are missing are installed by tools/install-packages where the package's directory lacks them, and
/// otherwise the claim is DATA MISSING with the command that fixes it; nothing trains and no file changes.
/// </summary>
[Collection(ProcessEnvironmentCollection.Name)]
public class DataRequirementTests
{
    private static readonly string Repository = RepositoryLocator.Find();

    // ------------------------------------------------------------------ the declaration

    [Fact]
    public void Og_images_declares_the_fashion_mnist_package_and_the_command_that_installs_it()
    {
        var experiment = ClaimCatalog.Load(Path.Combine(Repository, "claims")).Experiments["og-images"];

        experiment.DataOrBase.Should().NotBeNull();
        experiment.DataOrBase!.Key.Should().Be("Data:ImagesDirectory");
        experiment.DataOrBase.Directory.Should().Be(DataOptions.DefaultImagesDirectory, "the directory the option means while unset");
        experiment.DataOrBase.Package.Should().Be("dataset-fashion-mnist");
        experiment.DataOrBase.Fix.Should().Be("sudo apt-get install -y dataset-fashion-mnist");
    }

    [Theory]
    [InlineData("key", "Data:ImagesDirectry", "'data.key' 'Data:ImagesDirectry' is not an option that can name the directory")]
    [InlineData("key", "ImagesDirectory", "'data.key' must name an option as Section:Key")]
    [InlineData("directory", "relative/images", "'data.directory' 'relative/images' must be an absolute path")]
    [InlineData("files", "[]", "'data.files' must list at least one file name")]
    [InlineData("package", "Fake Images", "'data.package' 'Fake Images' is not a Debian package name")]
    [InlineData("fix", "sudo apt-get install -y other", "'data.fix' 'sudo apt-get install -y other' must be the command that installs fake-images")]
    public void A_bad_data_declaration_is_refused_at_load_naming_the_file_and_the_field(string field, string value, string message)
    {
        using var checkout = new ImageCheckout();
        var experiment = JsonNode.Parse(File.ReadAllText(checkout.ExperimentFile))!.AsObject();
        experiment["data"]![field] = value.StartsWith('[') ? JsonNode.Parse(value) : value;
        File.WriteAllText(checkout.ExperimentFile, experiment.ToJsonString());
        var before = ImageCheckout.Digests(checkout.Root);

        var act = () => ClaimCatalog.Load(Path.Combine(checkout.Root, "claims"));

        act.Should().Throw<ClaimDefinitionException>()
            .Which.Message.Should().StartWith(Path.Combine("claims", "experiments", "img.json")).And.Contain(message);
        ImageCheckout.Digests(checkout.Root).Should().Equal(before);
    }

    [Fact]
    public void Verify_with_a_bad_data_declaration_exits_2_with_one_line_naming_the_file_and_field()
    {
        using var checkout = new ImageCheckout();
        var experiment = JsonNode.Parse(File.ReadAllText(checkout.ExperimentFile))!.AsObject();
        experiment["data"]!["package"] = "Fake Images";
        File.WriteAllText(checkout.ExperimentFile, experiment.ToJsonString());
        var before = ImageCheckout.Digests(checkout.Root);
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();

        int code = Grokking.Cli.Program.Run(["verify", "--profile", "smoke", "--no-progress"], stdout, stderr);

        code.Should().Be(2);
        stderr.ToString().Trim().Should().Be(
            $"error: {Path.Combine("claims", "experiments", "img.json")}: 'data.package' 'Fake Images' is not a Debian package name "
            + "(lower-case letters, digits, '-', '.', '+')");
        ImageCheckout.Now(before).Should().Equal(before);
    }

    // ------------------------------------------------------------------ missing data

    [Fact]
    public void Og6_pointed_at_a_missing_directory_is_data_missing_with_the_fix_and_trains_nothing()
    {
        string dir = EngineFixtures.TempDirectory();
        var settings = new ClaimSuiteSettings(
            Repository, Profile.Smoke, new RuntimeOptions { Device = DeviceChoice.Cpu }, Path.Combine(dir, "report"), Path.Combine(dir, "cache"))
        {
            DataLocations = new Dictionary<string, string?> { ["Data:ImagesDirectory"] = Path.Combine(dir, "no-such-images") },
        };
        var suite = new ClaimSuite(settings, ["OG-6"]);

        var outcome = suite.Verify("OG-6");

        outcome.Verdict.Should().Be(Verdict.DataMissing);
        outcome.Fix.Should().Be("sudo apt-get install -y dataset-fashion-mnist");
        outcome.Reason.Should().Contain($"'{Path.Combine(dir, "no-such-images")}' to hold train-images-idx3-ubyte")
            .And.Contain("Data:ImagesDirectory points away from /usr/share/datasets/fashion-mnist");
        suite.Errors.Should().BeEmpty("missing data are no error");
        Directory.Exists(Path.Combine(dir, "cache")).Should().BeFalse("nothing trained");
    }

    [Theory]
    [InlineData("OG-8", "Data:ReviewsDirectory", "IMDB Dataset.csv")]
    [InlineData("OG-9", "Data:MoleculesDirectory", "gdb9.sdf")]
    public void User_data_left_unset_is_data_missing_with_one_line_naming_the_key_and_trains_nothing(string id, string key, string file)
    {
        string dir = EngineFixtures.TempDirectory();
        var settings = new ClaimSuiteSettings(
            Repository, Profile.Smoke, new RuntimeOptions { Device = DeviceChoice.Cpu }, Path.Combine(dir, "report"), Path.Combine(dir, "cache"));
        var suite = new ClaimSuite(settings, [id]);

        var outcome = suite.Verify(id);

        outcome.Verdict.Should().Be(Verdict.DataMissing);
        outcome.Reason.Should().Contain($"{key} is not set").And.NotContain(Environment.NewLine);
        outcome.Fix.Should().Contain(file).And.Contain(key).And.NotContain(Environment.NewLine);
        suite.Errors.Should().BeEmpty("missing data are no error");
        Directory.Exists(Path.Combine(dir, "cache")).Should().BeFalse("nothing trained");
    }

    [Fact]
    public void Reviews_in_neither_layout_are_data_missing_naming_both_layouts_and_no_install_runs()
    {
        string dir = EngineFixtures.TempDirectory();
        string reviews = Path.Combine(dir, "reviews");
        Directory.CreateDirectory(Path.Combine(reviews, "aclImdb", "train", "pos"));
        var settings = new ClaimSuiteSettings(
            Repository, Profile.Smoke, new RuntimeOptions { Device = DeviceChoice.Cpu }, Path.Combine(dir, "report"), Path.Combine(dir, "cache"))
        {
            DataLocations = new Dictionary<string, string?> { ["Data:ReviewsDirectory"] = reviews },
        };

        var outcome = new ClaimSuite(settings, ["OG-8"]).Verify("OG-8");

        outcome.Verdict.Should().Be(Verdict.DataMissing);
        outcome.Reason.Should().Contain($"'{reviews}' to hold one of: IMDB Dataset.csv; or aclImdb/train/pos, aclImdb/train/neg")
            .And.Contain("no package installs them");
    }

    [Fact]
    public void Missing_data_at_the_package_directory_run_the_install_script_once_and_a_failure_becomes_data_missing()
    {
        string log = Path.Combine(EngineFixtures.TempDirectory(), "calls");
        using var checkout = new ImageCheckout(installer: $"echo \"$@\" >> '{log}'\necho \"install-packages: cannot install $1: no permission\"\nexit 1\n");
        var before = ImageCheckout.Digests(checkout.Root);
        var output = new StringWriter();
        var supply = new DataSupply(checkout.Root, new Dictionary<string, string?>(), output);
        var experiment = ClaimCatalog.Load(Path.Combine(checkout.Root, "claims")).Experiments["img"];
        var options = ExperimentResolver.Resolve(experiment, Profile.Smoke);

        var first = supply.Check(experiment, options);
        var second = supply.Check(experiment, options);

        first.Should().NotBeNull();
        first!.Fix.Should().Be(ImageCheckout.Fix);
        first.Reason.Should().Contain($"'{checkout.Images}' to hold train-images-idx3-ubyte")
            .And.Contain("tools/install-packages could not install fake-images: install-packages: cannot install fake-images: no permission");
        second.Should().Be(first);
        File.ReadAllLines(log).Should().Equal(["fake-images"], "one attempt per process, with the declared package");
        output.ToString().Should().Contain("install-packages: cannot install fake-images: no permission", "the script's output is shown");
        ImageCheckout.Digests(checkout.Root).Should().Equal(before);
    }

    [Fact]
    public void Data_the_install_script_provides_are_found_and_the_claim_is_not_data_missing()
    {
        string images = Path.Combine(EngineFixtures.TempDirectory(), "images");
        string install = $"mkdir -p '{images}' && for f in {string.Join(' ', ImageCheckout.Files)}; do : > '{images}'/$f.gz; done\n";
        using var checkout = new ImageCheckout(images, install);
        var supply = new DataSupply(checkout.Root, new Dictionary<string, string?>());
        var experiment = ClaimCatalog.Load(Path.Combine(checkout.Root, "claims")).Experiments["img"];

        var shortage = supply.Check(experiment, ExperimentResolver.Resolve(experiment, Profile.Smoke));

        shortage.Should().BeNull();
        Directory.GetFiles(images).Select(Path.GetFileName).Should().BeEquivalentTo(ImageCheckout.Files.Select(f => f + ".gz"));
    }

    [Fact]
    public void A_directory_set_by_the_caller_is_not_installed_into_and_no_script_runs()
    {
        string log = Path.Combine(EngineFixtures.TempDirectory(), "calls");
        using var checkout = new ImageCheckout(installer: $"echo \"$@\" >> '{log}'\n");
        string elsewhere = Path.Combine(checkout.Root, "elsewhere");
        var supply = new DataSupply(checkout.Root, new Dictionary<string, string?> { ["Data:ImagesDirectory"] = elsewhere });
        var experiment = ClaimCatalog.Load(Path.Combine(checkout.Root, "claims")).Experiments["img"];

        var shortage = supply.Check(experiment, ExperimentResolver.Resolve(experiment, Profile.Smoke, locations: supply.Locations));

        shortage!.Reason.Should().Contain($"'{elsewhere}' to hold train-images-idx3-ubyte").And.Contain("points away from");
        File.Exists(log).Should().BeFalse("installing the package would not put the files where the caller points");
    }

    // ------------------------------------------------------------------ tools/install-packages

    [Fact]
    public void The_install_script_installs_a_missing_package_with_apt_get_as_root()
    {
        var (code, output, calls) = InstallPackages(uid: 0, args: ["fake-images"]);

        code.Should().Be(0, output);
        calls.Should().Equal("apt-get update -qq", "apt-get install -y -qq fake-images");
        output.Should().Contain("install-packages: installed fake-images");
    }

    [Fact]
    public void The_install_script_uses_passwordless_sudo_and_refuses_without_it_naming_the_command()
    {
        var (code, _, calls) = InstallPackages(uid: 1000, sudo: true, args: ["fake-images"]);
        var (refused, output, none) = InstallPackages(uid: 1000, sudo: false, args: ["fake-images"]);

        code.Should().Be(0);
        calls.Should().Equal("sudo -n true", "sudo -n env DEBIAN_FRONTEND=noninteractive apt-get update -qq",
            "sudo -n env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fake-images");
        refused.Should().Be(1);
        output.Trim().Should().Be("install-packages: cannot install fake-images: not root and sudo asks for a password; "
            + "install by hand with: sudo apt-get install -y fake-images");
        none.Should().Equal("sudo -n true");
    }

    [Fact]
    public void The_install_script_honours_GROKKING_NO_INSTALL_and_dry_run_and_skips_installed_packages()
    {
        var (disabled, said, untouched) = InstallPackages(uid: 0, args: ["fake-images"], noInstall: true);
        var (dry, printed, notRun) = InstallPackages(uid: 0, args: ["--dry-run", "fake-images"]);
        var (installed, already, nothing) = InstallPackages(uid: 0, args: ["fake-images"], installed: true);

        disabled.Should().Be(1);
        said.Should().Contain("not installing fake-images: GROKKING_NO_INSTALL=1 is set; install by hand with: sudo apt-get install -y fake-images");
        untouched.Should().BeEmpty();
        dry.Should().Be(0);
        printed.Should().Contain("would run: env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fake-images");
        notRun.Should().BeEmpty();
        installed.Should().Be(0);
        already.Trim().Should().Be("install-packages: fake-images is installed");
        nothing.Should().BeEmpty();
    }

    [Fact]
    public void The_install_script_without_arguments_installs_the_packages_the_experiments_declare()
    {
        var (code, output, calls) = InstallPackages(uid: 0, args: []);

        code.Should().Be(0, output);
        calls.Should().Equal("apt-get update -qq", "apt-get install -y -qq dataset-fashion-mnist");
    }

    [Theory]
    [InlineData("apt", 1, "install-packages: could not install fake-images (apt-get failed, see above); install by hand with: sudo apt-get install -y fake-images")]
    [InlineData("name", 2, "install-packages: 'Bad_Name' is not a Debian package name")]
    public void The_install_script_fails_with_a_line_naming_the_package(string fault, int expected, string message)
    {
        var (code, output, _) = fault == "apt"
            ? InstallPackages(uid: 0, args: ["fake-images"], aptFails: true)
            : InstallPackages(uid: 0, args: ["Bad_Name"]);

        code.Should().Be(expected);
        output.Trim().Split('\n')[^1].Should().Be(message);
    }

    /// <summary>
    /// Runs the repository's tools/install-packages with fake id, sudo, dpkg-query and apt-get first on the PATH (they log
    /// their calls); nothing is installed, whoever runs the tests.
    /// </summary>
    private static (int Code, string Output, IReadOnlyList<string> Calls) InstallPackages(
        int uid, string[] args, bool sudo = false, bool noInstall = false, bool installed = false, bool aptFails = false)
    {
        string bin = EngineFixtures.TempDirectory();
        string log = Path.Combine(bin, "calls.log");
        void Fake(string name, string body) => File.WriteAllText(Path.Combine(bin, name), $"#!/usr/bin/env bash\n{body}\n");
        Fake("id", $"echo {uid}");
        Fake("sudo", $"echo \"sudo $*\" >> '{log}'\nexit {(sudo ? 0 : 1)}");
        Fake("dpkg-query", installed ? "echo 'install ok installed'" : "exit 1");
        Fake("apt-get", $"echo \"apt-get $*\" >> '{log}'\n[ \"$1\" = install ] && exit {(aptFails ? 100 : 0)}\nexit 0");
        foreach (string name in new[] { "id", "sudo", "dpkg-query", "apt-get" })
        {
            if (OperatingSystem.IsWindows())
            {
                continue;
            }

            File.SetUnixFileMode(Path.Combine(bin, name), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(Repository, DataSupply.Script));
        args.ToList().ForEach(start.ArgumentList.Add);
        start.Environment["PATH"] = bin + ":" + Environment.GetEnvironmentVariable("PATH");
        start.Environment.Remove("GROKKING_NO_INSTALL");
        if (noInstall)
        {
            start.Environment["GROKKING_NO_INSTALL"] = "1";
        }

        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        string output = process.StandardOutput.ReadToEnd() + stderr.Result;
        process.WaitForExit();
        return (process.ExitCode, output, File.Exists(log) ? File.ReadAllLines(log) : []);
    }
}
