using Grokking.Claims;
using Grokking.Configuration;
using Grokking.Claims.Contracts;

namespace Grokking.Tests.Claims;

/// <summary>
/// One claim suite for the whole test run: the profile comes from configuration (ci by default,
/// GROKKING__Profile=paper on a GPU runner), runs are shared through the run cache, and the report is written
/// when the last claim test has run — the same report 'grokking verify' writes.
/// </summary>
public sealed class ClaimSuiteFixture : IDisposable
{
    private static readonly Lock Gate = new();
    private static ClaimSuiteFixture? current;
    private static IReadOnlyCollection<string>? selected;

    public ClaimSuiteFixture()
    {
        var options = GrokkingConfiguration.Load();
        Suite = new ClaimSuite(ClaimSuiteSettings.From(options));
        lock (Gate)
        {
            current = this;
            if (selected is not null)
            {
                Suite.StartBackgroundRuns(selected);
            }
        }
    }

    /// <summary>The claims this test run will verify (from <see cref="CatalogOrder"/>): their runs start training in the background.</summary>
    public static void Select(IReadOnlyCollection<string> ids)
    {
        lock (Gate)
        {
            selected = ids;
            current?.Suite.StartBackgroundRuns(ids);
        }
    }

    public ClaimSuite Suite { get; }

    /// <summary>Verifies a claim and compares it with baselines/&lt;profile&gt;/&lt;ID&gt;.verified.json.</summary>
    public void Check(string id)
    {
        var outcome = Suite.Verify(id);
        var comparison = Suite.Baselines.Compare(Suite.Snapshot(outcome));
        string profile = Suite.Settings.Profile.Name;
        comparison.Matches.Should().BeTrue(
            $"{id} ({profile}) must match {Path.GetRelativePath(Suite.Settings.RepositoryRoot, comparison.VerifiedPath)}:{Environment.NewLine}  "
            + string.Join(Environment.NewLine + "  ", comparison.Differences)
            + $"{Environment.NewLine}outcome: {outcome.Verdict.ToString().ToUpperInvariant()} — {outcome.Reason}"
            + $"{Environment.NewLine}received: {comparison.ReceivedPath}; accept with: ./grokking baselines accept {id} --profile {profile}");
    }

    public void Dispose()
    {
        if (Suite.Outcomes.Count > 0 || Suite.Errors.Count > 0)
        {
            Grokking.Report.SuiteReport.Write(Suite);
        }
    }
}

[CollectionDefinition(Name)]
public sealed class ClaimsCollection : ICollectionFixture<ClaimSuiteFixture>
{
    public const string Name = "claims";
}
