using Grokking.Claims;
using Grokking.Claims.Scheduling;
using Grokking.Claims.Contracts;
using Grokking.Configuration;

namespace Grokking.Tests.Claims;

/// <summary>
/// One claim suite for the claim tests of a test run: the profile comes from configuration (ci by default,
/// GROKKING__Profile=paper on a GPU runner), the suite selects the claims the run verifies, its runs are shared
/// through its run cache, and the report is written when the last claim test has run — the same report
/// 'grokking verify' writes. The claims are verified as 'grokking verify' verifies them, in the suite's plan order (the
/// claims whose runs are predicted ready first) on one foreground thread; each test waits for its own claim's outcome.
/// </summary>
public sealed class ClaimSuiteFixture : IDisposable
{
    private readonly PlannedVerification verification;

    /// <param name="selection">
    /// The ids of the claim tests this run executes (a filtered 'dotnet test' runs fewer), given by
    /// <see cref="ClaimTestFramework"/>: their runs start training on the suite's background lanes at once.
    /// </param>
    public ClaimSuiteFixture(IReadOnlyCollection<string> selection)
    {
        // An empty selection would select every claim (and train all their runs) for a run that verifies none.
        ArgumentOutOfRangeException.ThrowIfZero(selection.Count);
        // Missing data are installed where this user may (DataSupply); the install's output goes to the test log.
        Suite = new ClaimSuite(ClaimSuiteSettings.From(ClaimSettingsScope.Load(new ConfigurationSources(), RepositoryLocator.Find(), "dotnet test")), selection, Console.Out);
        Suite.StartBackgroundRuns();
        verification = new PlannedVerification(Suite);
    }

    public ClaimSuite Suite { get; }

    /// <summary>
    /// Verifies a claim and compares it with baselines/&lt;profile&gt;/&lt;ID&gt;.verified.json. A claim whose data are
    /// missing is skipped with the reason and the command that installs them (it measured nothing to compare); a claim
    /// that errors fails with its error.
    /// </summary>
    public void Check(string id)
    {
        var outcome = verification.Outcome(id);
        if (outcome.Verdict == Verdict.DataMissing)
        {
            throw new ClaimSkipException($"{id} DATA MISSING: {outcome.Reason}; to fix: {outcome.Fix}");
        }

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
        verification.WaitAll();
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
