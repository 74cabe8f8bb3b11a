using System.CommandLine;
using Grokking.Claims;
using Grokking.Claims.Baselines;
using Grokking.Claims.Scheduling;
using Grokking.Configuration;

namespace Grokking.Cli;

/// <summary>
/// grokking baselines accept [ID...] [--profile P] [--across-devices]: make the received snapshots the accepted baselines.
/// An ID that is not a claim exits 2 before any baseline is read; a received file that is not a valid snapshot exits 1
/// (damaged data, named by the message) before any baseline is replaced; a snapshot made on another device kind than
/// the baseline it would replace exits 2, naming both, unless --across-devices; an ID without a received file is
/// reported and left as it is.
/// </summary>
internal static class BaselinesCommand
{
    public static Command Create(SharedOptions shared)
    {
        var ids = new Argument<string[]>("ID")
        {
            Description = "claims to accept (default: every claim with a received snapshot)",
            HelpName = "ID",
            Arity = ArgumentArity.ZeroOrMore,
        };
        ids.CompletionSources.Add(ClaimIdCompletions.List);
        string what = "accept received snapshots as baselines/<profile>/<ID>.verified.json; record report/costs.json and "
            + "report/variants.json in its costs.json and variants.json";
        var acrossDevices = new Option<bool>("--across-devices")
        {
            Description = "replace baselines made on another device kind (cpu, cuda, cuda with TF32) with these snapshots",
        };
        var accept = new Command("accept", what) { ids, acrossDevices };
        accept.SetAction(parsed => Accept(
            shared.LoadForClaims(parsed, "baselines accept"),
            parsed.GetValue(ids) ?? [],
            parsed.GetValue(acrossDevices),
            parsed.InvocationConfiguration.Output));
        return new Command("baselines", "manage the accepted outcomes that 'verify' and the claim tests compare with") { accept };
    }

    private static int Accept(GrokkingOptions options, string[] ids, bool acrossDevices, TextWriter output)
    {
        string claimsDirectory = Path.Combine(RepositoryLocator.Find(), "claims");
        var catalog = ClaimCatalog.Load(claimsDirectory);
        var named = ClaimIds(catalog, ids);
        var store = new BaselineStore(Path.Combine(RepositoryLocator.Find(), "baselines"));
        string folder = $"baselines/{options.Profile.Name}";
        var waiting = store.ReceivedIds(options.Profile);
        foreach (string id in named.Where(id => !waiting.Contains(id, StringComparer.Ordinal)))
        {
            output.WriteLine($"{id}: no {id}.received.json in {folder} (its run matched the baseline, or has not run); baseline unchanged");
        }

        var accepted = store.Accept(options.Profile, named, [.. catalog.Claims.Select(c => c.Id)], acrossDevices);
        if (accepted.Count > 0)
        {
            output.WriteLine($"accepted {string.Join(", ", accepted)} into {folder}");
        }
        else if (named.Count == 0)
        {
            output.WriteLine($"nothing to accept: no *.received.json in {folder}");
        }

        // The costs that verify measured order the next suite's work (lanes longest first) and project its minutes.
        string report = Path.IsPathRooted(options.Output.ReportDirectory)
            ? options.Output.ReportDirectory
            : Path.Combine(RepositoryLocator.Find(), options.Output.ReportDirectory);
        string costs = RunCosts.PathIn(store.Root, options.Profile);
        if (RunCosts.Record(Path.Combine(report, RunCosts.FileName), costs, options.Profile, store.ShownAs(costs)) is { } recorded)
        {
            output.WriteLine(recorded);
        }

        // What verify --variants found, committed like the baselines and shown by every report of the profile.
        string variants = Path.Combine(store.Root, options.Profile.Name, VariantRuns.FileName);
        if (VariantRuns.Record(Path.Combine(report, VariantRuns.FileName), variants, options.Profile, store.ShownAs(variants)) is { } line)
        {
            output.WriteLine(line);
        }

        // The index of claims is part of what the repository records about them; a new claim file shows up there here.
        if (CatalogIndex.Refresh(claimsDirectory))
        {
            output.WriteLine($"claims/{CatalogIndex.FileName} rewritten from the claim files");
        }

        return 0;
    }

    /// <summary>
    /// The named ids as the catalog spells them (case-insensitive). An empty one or one that is not a claim is a usage
    /// error naming it: dropping it would accept fewer baselines than asked for without a word.
    /// </summary>
    private static List<string> ClaimIds(ClaimCatalog catalog, string[] ids)
    {
        var known = catalog.Claims.Select(c => c.Id).ToList();
        var claims = new List<string>();
        foreach (string id in ids)
        {
            string? claim = known.FirstOrDefault(k => string.Equals(k, id.Trim(), StringComparison.OrdinalIgnoreCase));
            if (claim is null)
            {
                string problem = id.Trim().Length == 0 ? "is empty" : "is not a claim";
                throw OptionsException.InvalidValue("ID", $"'{id}' {problem}; known: {string.Join(", ", known)}");
            }

            claims.Add(claim);
        }

        return claims;
    }
}
