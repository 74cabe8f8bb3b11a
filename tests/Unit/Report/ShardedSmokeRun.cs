using System.Text.Json;
using System.Text.Json.Nodes;
using Grokking.Claims;
using Grokking.Cli;
using Grokking.Tests.Unit.Engine;

namespace Grokking.Tests.Unit.Report;

/// <summary>
/// A smoke suite run twice in a checkout of its own (claims/ and baselines/ copied, so that the judgement's received files
/// land there): once by a plain 'verify', once as 3 shards ('verify --shard i/3', each with a run cache of its own, as on
/// three machines) merged by 'report merge'. The selection spans five experiment groups: a claim on two experiments
/// (OG-4, OG-5), one whose analysis trains nothing (PB-5), one whose data are missing (OG-8), and figures (MC-1).
/// </summary>
public sealed class ShardedSmokeRun
{
    public const string Selection = "MC-1,MC-2,OG-1,OG-4,OG-5,OG-8,PB-5";

    public ShardedSmokeRun()
    {
        string repository = RepositoryLocator.Find();
        Root = EngineFixtures.TempDirectory();
        File.WriteAllText(Path.Combine(Root, RepositoryLocator.Marker), "");
        EngineFixtures.CopyDirectory(Path.Combine(repository, "claims"), Path.Combine(Root, "claims"));
        EngineFixtures.CopyDirectory(Path.Combine(repository, "baselines"), Path.Combine(Root, "baselines"));

        Unsharded = Run(["verify", "--claims", Selection, .. Outputs("unsharded")]);
        Shards = [.. Enumerable.Range(1, 3).Select(i => Run(["verify", "--claims", Selection, "--shard", $"{i}/3", "--records", Records(i), .. Outputs($"shard{i}")]))];
        Merged = Run("report", "merge", Records(1), Records(2), Records(3), "--set", $"Output:ReportDirectory={Report("merged")}");
    }

    public string Root { get; }

    public (int Code, string Stdout, string Stderr) Unsharded { get; }

    public IReadOnlyList<(int Code, string Stdout, string Stderr)> Shards { get; }

    public (int Code, string Stdout, string Stderr) Merged { get; }

    public string Records(int shard) => Path.Combine(Root, "records", $"shard-{shard}");

    public string Report(string name) => Path.Combine(Root, "report-" + name);

    public string Cache(string name) => Path.Combine(Root, "cache-" + name);

    /// <summary>The report and cache folders of one run, as --set options.</summary>
    public string[] Outputs(string name) =>
        ["--set", $"Output:ReportDirectory={Report(name)}", "--set", $"Output:CacheDirectory={Cache(name)}"];

    /// <summary>One command line in-process, with the checkout as the working directory and the smoke profile.</summary>
    public (int Code, string Stdout, string Stderr) Run(params string[] args)
    {
        string previous = Directory.GetCurrentDirectory();
        Directory.SetCurrentDirectory(Root);
        try
        {
            using var stdout = new StringWriter();
            using var stderr = new StringWriter();
            int code = Program.Run([.. args, "--profile", "smoke", .. args[0] == "verify" ? new[] { "--no-progress" } : []], stdout, stderr);
            return (code, stdout.ToString(), stderr.ToString());
        }
        finally
        {
            Directory.SetCurrentDirectory(previous);
        }
    }

    /// <summary>
    /// A report.json's claims as JSON text, each without the fields that say how long it took and whether its runs came
    /// from a cache (seconds, analysisSeconds, trainMinutes, runMinutes, the experiment line with its cache key and seconds,
    /// recovered entries): every verdict, value, interval, reason and figure path is left.
    /// </summary>
    public static IReadOnlyList<string> Claims(string report)
    {
        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(report, "report.json")))!;
        string[] timing = ["seconds", "analysisSeconds", "trainMinutes", "runMinutes", "experiment", "recovered"];
        return
        [
            .. json["claims"]!.AsArray().Select(c =>
            {
                var claim = c!.AsObject().DeepClone().AsObject();
                foreach (string field in timing)
                {
                    claim.Remove(field).Should().BeTrue($"report.json's claims have '{field}'");
                }

                return claim.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
            }),
        ];
    }
}
