using Grokking.Claims;
using Grokking.Claims.Baselines;
using Grokking.Configuration;

namespace Grokking.Cli;

/// <summary>grokking baselines accept [ID...] [--profile P]: make the received snapshots the accepted baselines.</summary>
internal static class BaselinesCommand
{
    public static int Run(GrokkingOptions options, CommandLine cmd)
    {
        if (cmd.Positional.Count == 0 || cmd.Positional[0] != "accept")
        {
            throw new UsageException("usage: grokking baselines accept [ID ...] [--profile smoke|ci|paper]");
        }

        string profile = options.Profile.ToString().ToLowerInvariant();
        var store = new BaselineStore(Path.Combine(RepositoryLocator.Find(), "baselines"));
        var accepted = store.Accept(profile, cmd.Positional.Skip(1).ToList());
        Console.WriteLine(accepted.Count == 0
            ? $"nothing to accept: no *.received.json in baselines/{profile}{(cmd.Positional.Count > 1 ? " for " + string.Join(", ", cmd.Positional.Skip(1)) : "")}"
            : $"accepted {string.Join(", ", accepted)} into baselines/{profile}");
        return 0;
    }
}
