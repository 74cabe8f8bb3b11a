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
    private readonly PlannedVerification? verification;

    /// <summary>Claims of the selection skipped before any training, with the reason (a paper baseline not yet made).</summary>
    private readonly Dictionary<string, string> skipped;

    /// <param name="selection">
    /// The ids of the claim tests this run executes (a filtered 'dotnet test' runs fewer), given by
    /// <see cref="ClaimTestFramework"/>: their runs start training on the suite's background lanes at once.
    /// </param>
    public ClaimSuiteFixture(IReadOnlyCollection<string> selection)
    {
        // An empty selection would select every claim (and train all their runs) for a run that verifies none.
        ArgumentOutOfRangeException.ThrowIfZero(selection.Count);
        var settings = ClaimSuiteSettings.From(ClaimSettingsScope.Load(new ConfigurationSources(), RepositoryLocator.Find(), "dotnet test"));
        skipped = Unbaselined(settings, selection);
        var verified = selection.Where(id => !skipped.ContainsKey(id)).ToList();
        if (verified.Count == 0)
        {
            return; // every selected claim is skipped: no suite, so nothing trains (an empty selection would select all)
        }

        // Missing data are installed where this user may (DataSupply); the install's output goes to the test log.
        Suite = new ClaimSuite(settings, verified, Console.Out);
        Suite.StartBackgroundRuns();
        verification = new PlannedVerification(Suite);
    }

    /// <summary>The suite of the claims this run verifies; null when every selected claim was skipped.</summary>
    public ClaimSuite? Suite { get; }

    /// <summary>
    /// At the paper profile a claim whose baseline no finished paper run has made yet is skipped with the reason (not yet
    /// run, or needing a GPU, with its projected minutes), before its runs could start: never a silent pass, never a
    /// failure for a missing file. The smoke and ci baselines are required, so there nothing is skipped.
    /// </summary>
    private static Dictionary<string, string> Unbaselined(ClaimSuiteSettings settings, IReadOnlyCollection<string> selection)
    {
        var catalog = ClaimCatalog.Load(settings.ClaimsDirectory);
        var baselines = new Grokking.Claims.Baselines.BaselineStore(settings.BaselinesDirectory);
        return selection
            .Select(id => (id, Reason: MissingBaseline.Reason(catalog.Get(id), catalog, baselines, settings.Profile)))
            .Where(s => s.Reason is not null)
            .ToDictionary(s => s.id, s => s.Reason!, StringComparer.Ordinal);
    }

    /// <summary>
    /// Verifies a claim and compares it with baselines/&lt;profile&gt;/&lt;ID&gt;.verified.json. A claim whose data are
    /// missing is skipped with the reason and the command that installs them (it measured nothing to compare); a claim
    /// that errors fails with its error.
    /// </summary>
    public void Check(string id)
    {
        if (skipped.TryGetValue(id, out string? reason))
        {
            throw new ClaimSkipException($"{id} skipped: {reason}");
        }

        var outcome = verification!.Outcome(id);
        if (outcome.Verdict == Verdict.DataMissing)
        {
            throw new ClaimSkipException($"{id} DATA MISSING: {outcome.Reason}; to fix: {outcome.Fix}");
        }

        var comparison = Suite!.Baselines.Compare(Suite.Snapshot(outcome));
        string profile = Suite.Settings.Profile.Name;
        comparison.Matches.Should().BeTrue(
            $"{id} ({profile}) must match {Path.GetRelativePath(Suite.Settings.RepositoryRoot, comparison.VerifiedPath)}:{Environment.NewLine}  "
            + string.Join(Environment.NewLine + "  ", comparison.Differences)
            + $"{Environment.NewLine}outcome: {outcome.Verdict.ToString().ToUpperInvariant()} — {outcome.Reason}"
            + $"{Environment.NewLine}received: {comparison.ReceivedPath}; accept with: ./grokking baselines accept {id} --profile {profile}");
    }

    public void Dispose()
    {
        if (Suite is null)
        {
            return;
        }

        verification!.WaitAll();
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
