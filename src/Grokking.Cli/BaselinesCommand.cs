using System.CommandLine;
using Grokking.Claims;
using Grokking.Claims.Baselines;
using Grokking.Configuration;

namespace Grokking.Cli;

/// <summary>grokking baselines accept [ID...] [--profile P]: make the received snapshots the accepted baselines.</summary>
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
        var accept = new Command("accept", "accept received snapshots as baselines/<profile>/<ID>.verified.json") { ids };
        accept.SetAction(parsed => Accept(shared.Load(parsed), parsed.GetValue(ids) ?? [], parsed.InvocationConfiguration.Output));
        return new Command("baselines", "manage the accepted outcomes that 'verify' and the claim tests compare with") { accept };
    }

    private static int Accept(GrokkingOptions options, string[] ids, TextWriter output)
    {
        var store = new BaselineStore(Path.Combine(RepositoryLocator.Find(), "baselines"));
        var accepted = store.Accept(options.Profile, ids);
        output.WriteLine(accepted.Count == 0
            ? $"nothing to accept: no *.received.json in baselines/{options.Profile.Name}{(ids.Length > 0 ? " for " + string.Join(", ", ids) : "")}"
            : $"accepted {string.Join(", ", accepted)} into baselines/{options.Profile.Name}");
        // The index of claims is part of what the repository records about them; a new claim file shows up there here.
        if (CatalogIndex.Refresh(Path.Combine(RepositoryLocator.Find(), "claims")))
        {
            output.WriteLine($"claims/{CatalogIndex.FileName} rewritten from the claim files");
        }

        return 0;
    }
}
