using System.CommandLine.Completions;
using Grokking.Claims;

namespace Grokking.Cli;

/// <summary>Tab completions for claim ids: the claims/*.json file names, which the catalog requires to equal the ids.</summary>
internal static class ClaimIdCompletions
{
    public static IEnumerable<string> List(CompletionContext context)
    {
        // Completion must never fail: outside a checkout there is simply nothing to offer.
        string? claims = RepositoryLocator.TryFind() is { } root ? Path.Combine(root, "claims") : null;
        return claims is not null && Directory.Exists(claims)
            ? Directory.GetFiles(claims, "*.json").Select(f => Path.GetFileNameWithoutExtension(f)).Order(StringComparer.Ordinal)
            : [];
    }
}
