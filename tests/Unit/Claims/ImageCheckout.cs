using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Grokking.Claims;
using Grokking.Tests.Unit.Engine;

namespace Grokking.Tests.Unit.Claims;

/// <summary>
/// A checkout of its own for data requirements: the solution marker, a catalog with one claim (OG-1, OG-6's file) on
/// 'img' (og-images with its data in a temporary directory), an empty baselines/, and, when asked, a fake
/// tools/install-packages that logs its calls. Made the working directory while alive, so the CLI verifies it.
/// </summary>
internal sealed class ImageCheckout : IDisposable
{
    public const string Package = "fake-images";
    public const string Fix = "sudo apt-get install -y fake-images";

    private readonly string previous = Directory.GetCurrentDirectory();

    /// <param name="images">Where the experiment's data are declared (and read): null makes a directory that does not exist.</param>
    /// <param name="installer">The fake install script's body (bash), or null for none.</param>
    public ImageCheckout(string? images = null, string? installer = null)
    {
        string repository = RepositoryLocator.Find();
        Root = EngineFixtures.TempDirectory();
        Images = images ?? Path.Combine(Root, "no-such-images");
        File.WriteAllText(Path.Combine(Root, RepositoryLocator.Marker), "");
        Directory.CreateDirectory(Path.Combine(Root, "claims", "experiments"));
        Directory.CreateDirectory(Path.Combine(Root, "baselines"));
        File.WriteAllText(Path.Combine(Root, "claims", "catalog.json"), Catalog);
        File.WriteAllText(ExperimentFile, Experiment(Path.Combine(repository, "claims", "experiments", "og-images.json")));
        var claim = JsonNode.Parse(File.ReadAllText(Path.Combine(repository, "claims", "OG-6.json")))!.AsObject();
        claim["id"] = "OG-1";
        claim["experiment"] = "img";
        File.WriteAllText(Path.Combine(Root, "claims", "OG-1.json"), claim.ToJsonString());
        if (installer is not null)
        {
            Directory.CreateDirectory(Path.Combine(Root, "tools"));
            File.WriteAllText(Path.Combine(Root, DataSupply.Script), "#!/usr/bin/env bash\n" + installer);
        }

        Directory.SetCurrentDirectory(Root);
    }

    public string Root { get; }

    public string Images { get; }

    public string ExperimentFile => Path.Combine(Root, "claims", "experiments", "img.json");

    /// <summary>What the fake installer logs to, one line per call.</summary>
    public string InstallLog => Path.Combine(Root, "install.log");

    public string Report => Path.Combine(Root, "report", "report.json");

    /// <summary>The image directory holding the four IDX names with garbage in them: present, yet not IDX data.</summary>
    public static string GarbageImages()
    {
        string dir = EngineFixtures.TempDirectory();
        foreach (string name in Files)
        {
            File.WriteAllText(Path.Combine(dir, name + ".gz"), "not gzip at all");
        }

        return dir;
    }

    public static IReadOnlyList<string> Files { get; } =
        ["train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"];

    /// <summary>Every file under the folders with its digest: what a failed or skipped command must leave as it was.</summary>
    public static Dictionary<string, string> Digests(params string[] roots) =>
        roots.Where(Directory.Exists)
            .SelectMany(r => Directory.GetFiles(r, "*", SearchOption.AllDirectories))
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}report{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .ToDictionary(f => f, f => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(f))));

    /// <summary>The digests those files have now (a file gone reads as "gone"): equal to <paramref name="before"/> when none changed.</summary>
    public static Dictionary<string, string> Now(Dictionary<string, string> before) =>
        before.Keys.ToDictionary(f => f, f => File.Exists(f) ? Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(f))) : "gone");

    public void Dispose() => Directory.SetCurrentDirectory(previous);

    private const string Catalog = """
        { "papers": [ { "prefix": "OG", "document": "003.txt", "title": "omnigrok", "authors": ["A. Author"], "whereToFind": "preprint" } ],
          "baselineTolerance": { "relative": 0.1, "absolute": 0.02, "reason": "rounding across CPUs" } }
        """;

    /// <summary>og-images renamed 'img', its data (and its Data:ImagesDirectory) in <see cref="Images"/>, from package fake-images.</summary>
    private string Experiment(string ogImages)
    {
        var experiment = JsonNode.Parse(File.ReadAllText(ogImages))!.AsObject();
        experiment["name"] = "img";
        experiment["options"]!["Data"]!["ImagesDirectory"] = Images;
        experiment["data"] = new JsonObject
        {
            ["key"] = "Data:ImagesDirectory",
            ["directory"] = Images,
            ["files"] = new JsonArray([.. Files.Select(f => JsonValue.Create(f))]),
            ["package"] = Package,
            ["fix"] = Fix,
        };
        return experiment.ToJsonString();
    }
}
