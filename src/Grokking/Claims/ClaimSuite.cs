using System.Diagnostics;
using Grokking.Claims.Baselines;
using Grokking.Claims.Scheduling;
using Grokking.Configuration;
using Grokking.Runtime;
using Grokking.Claims.Contracts;

namespace Grokking.Claims;

/// <summary>
/// The main job, shared by 'grokking verify' and the claim tests: verify a selection of claims against their shared
/// runs. Outcomes accumulate, so tests that verify one claim each still produce one report (written by the report
/// layer above, Report.SuiteReport). The suite owns its run cache: two suites share runs through the disk cache
/// only, never through process state.
/// </summary>
public sealed class ClaimSuite
{
    private readonly Lock gate = new();
    private readonly List<ClaimOutcome> outcomes = [];
    private readonly List<ClaimError> errors = [];
    private readonly Stopwatch clock = Stopwatch.StartNew();
    private readonly DateTimeOffset started = DateTimeOffset.UtcNow;
    private readonly ClaimRunner runner;
    private readonly Lazy<SuiteProjection> projection;

    /// <param name="settings">Where the suite reads claims and writes runs and the report.</param>
    /// <param name="patterns">The claims it is to verify: ids or patterns such as "MC-*" (all claims when null or empty).</param>
    /// <param name="log">Where installing missing data writes its output (see <see cref="DataSupply"/>); nowhere when null.</param>
    public ClaimSuite(ClaimSuiteSettings settings, IReadOnlyCollection<string>? patterns = null, TextWriter? log = null)
    {
        Settings = settings;
        this.log = log;
        RuntimeInfo = TorchRuntime.Initialize(
            settings.Runtime.Device, settings.Runtime.Threads, settings.Runtime.ParallelRuns, settings.Runtime.AllowTf32);
        Catalog = ClaimCatalog.Load(settings.ClaimsDirectory);
        Selection = Catalog.Select(patterns);
        Baselines = new BaselineStore(settings.BaselinesDirectory);
        Budget = CoreBudget.For(settings.Runtime.Threads, RuntimeInfo.Threads, RuntimeInfo.ParallelRuns, Environment.ProcessorCount);
        Runs = new RunCache(settings.CacheDirectory) { Budget = Budget };
        var data = new DataSupply(settings.RepositoryRoot, settings.DataLocations, log);
        runner = new ClaimRunner(
            Catalog, Runs, settings.Profile, RuntimeInfo.Device, settings.ReportDirectory, settings.Runtime, data, settings.Variant);
        (Costs, CostsWarning) = RunCosts.Load(RunCosts.PathIn(settings.BaselinesDirectory, settings.Profile), settings.Profile);
        if (CostsWarning is not null)
        {
            log?.WriteLine($"warning: {CostsWarning}");
        }

        // Lazy: the runs a claim trains depend on its data, which the suite installs first (StartBackgroundRuns).
        projection = new Lazy<SuiteProjection>(() => SuiteProjection.Project(
            SuiteProjection.ClaimsWithRuns(Selection, runner), Costs, RuntimeInfo.ParallelRuns, Budget.Workers));
    }

    private readonly TextWriter? log;

    /// <summary>The cores the suite's lanes and foreground share (<see cref="CoreBudget"/>).</summary>
    public CoreBudget Budget { get; }

    /// <summary>
    /// The recorded costs (baselines/&lt;profile&gt;/costs.json) that order the work; none when <see cref="CostsWarning"/> says why.
    /// </summary>
    public RunCosts Costs { get; }

    public string? CostsWarning { get; }

    /// <summary>The suite's schedule projected from <see cref="Costs"/>: its minutes, and the lanes' timeline.</summary>
    public SuiteProjection Projection => projection.Value;

    /// <summary>
    /// The <see cref="Selection"/> in the order the foreground verifies it: by the predicted finish of the runs each claim
    /// reads (the lanes' plan from <see cref="Costs"/>), ties in catalog order — catalog order when no cost is recorded.
    /// </summary>
    public IReadOnlyList<ClaimDefinition> PlanOrder() => [.. PlanReadiness().Select(c => Catalog.Get(c.Id))];

    /// <summary>Each claim with the second its runs are predicted ready under the lane plan, in plan order.</summary>
    public IReadOnlyList<(string Id, double ReadyAt)> PlanReadiness()
    {
        var claims = SuiteProjection.ClaimsWithRuns(Selection, runner);
        var plan = LanePlan.Of([.. claims.SelectMany(c => c.Runs).Distinct(StringComparer.Ordinal)], Costs, RuntimeInfo.ParallelRuns);
        return [.. plan.ByReadiness(claims, c => c.Runs).Select(c => (c.Id, plan.ReadyAt(c.Runs)))];
    }

    /// <summary>
    /// Each run the <see cref="Selection"/> trains (once, in catalog order) with its options at this profile; runs whose
    /// data are missing and the models analyses build themselves are not among them.
    /// </summary>
    public IReadOnlyList<(string Experiment, GrokkingOptions Options)> TrainedRuns() =>
        [.. Selection.SelectMany(runner.TrainedRuns).DistinctBy(r => r.Experiment, StringComparer.Ordinal)];

    /// <summary>What the named experiment lacks of its data here; null when it has them or declares none.</summary>
    public DataShortage? DataShortageOf(string experiment) => runner.ShortageOf(Catalog.Experiments[experiment]);

    /// <summary>The committed ci and paper verdicts of the claims this suite has outcomes for, side by side.</summary>
    public IReadOnlyList<ProfileAgreement> Agreement() =>
        ProfileAgreement.Of(Catalog, OutcomesWithErrors().Select(o => o.Id), Baselines);

    /// <summary>
    /// The committed outcomes of verify --variants (baselines/&lt;profile&gt;/variants.json) for the claims this suite has
    /// outcomes for; none when the file is absent, or damaged (then one warning goes to the log).
    /// </summary>
    public IReadOnlyList<VariantOutcome> CommittedVariants()
    {
        var (outcomes, warning) = VariantRuns.Load(Path.Combine(Baselines.Root, Settings.Profile.Name, VariantRuns.FileName), Settings.Profile);
        if (warning is not null)
        {
            log?.WriteLine($"warning: {warning}");
        }

        var ids = OutcomesWithErrors().Select(o => o.Id).ToHashSet(StringComparer.Ordinal);
        return [.. outcomes.Where(o => ids.Contains(o.Claim))];
    }

    /// <summary>What this suite measured, for baselines/&lt;profile&gt;/costs.json (<see cref="RunCosts.Measured"/>).</summary>
    public RunCosts MeasuredCosts() =>
        RunCosts.Measured(Settings.Profile, OutcomesWithErrors(), RuntimeInfo.Threads, DateOnly.FromDateTime(DateTime.UtcNow));

    public ClaimSuiteSettings Settings { get; }

    public RuntimeInfo RuntimeInfo { get; }

    public ClaimCatalog Catalog { get; }

    public BaselineStore Baselines { get; }

    /// <summary>The claims this suite verifies, in catalog order: <see cref="VerifyAll"/> and the background lanes read it.</summary>
    public IReadOnlyList<ClaimDefinition> Selection { get; }

    /// <summary>This suite's runs: trained once for all its claims, held for its lifetime.</summary>
    public RunCache Runs { get; }

    public IReadOnlyList<ClaimOutcome> Outcomes
    {
        get
        {
            lock (gate)
            {
                return [.. outcomes];
            }
        }
    }

    public IReadOnlyList<ClaimError> Errors
    {
        get
        {
            lock (gate)
            {
                return [.. errors];
            }
        }
    }

    /// <summary>Verifies one claim; an exception becomes a <see cref="ClaimError"/> and is rethrown.</summary>
    /// <param name="seat">The foreground's core, kept across the claims of one loop (see <see cref="ClaimRunner.Verify"/>).</param>
    public ClaimOutcome Verify(
        string id, IProgress<ClaimProgress>? progress = null, int index = 0, int count = 1, CoreSeat? seat = null, CancellationToken cancel = default)
    {
        try
        {
            var outcome = runner.Verify(Catalog.Get(id), progress, index, count, seat, cancel);
            lock (gate)
            {
                outcomes.RemoveAll(o => o.Id == id);
                errors.RemoveAll(x => x.Id == id);
                outcomes.Add(outcome);
            }

            return outcome;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            lock (gate)
            {
                errors.RemoveAll(x => x.Id == id);
                errors.Add(ClaimError.Of(id, e));
            }

            throw;
        }
    }

    /// <summary>
    /// Obtains the data the <see cref="Selection"/> needs where they are missing and may be installed (its output comes
    /// first, before any training), then starts training its runs on <see cref="RuntimeInfo.ParallelRuns"/> background
    /// lanes (none when it is 1); <see cref="Verify"/> then finds them in the cache or waits for them.
    /// </summary>
    public void StartBackgroundRuns(IProgress<ClaimProgress>? progress = null, CancellationToken cancel = default)
    {
        foreach (var claim in Selection)
        {
            // The shortage itself is reported by Verify; here the install is attempted once, up front.
            runner.ShortageOf(claim);
        }

        BackgroundRuns.Start(runner, Selection, RuntimeInfo.ParallelRuns, progress, cancel, Costs);
    }

    /// <summary>Verifies the <see cref="Selection"/> in <see cref="PlanOrder"/>, collecting errors instead of stopping.</summary>
    public void VerifyAll(IProgress<ClaimProgress>? progress = null, CancellationToken cancel = default) => VerifyAll(progress, null, cancel);

    /// <summary>Verifies the <see cref="Selection"/> in <see cref="PlanOrder"/>, collecting errors instead of stopping.</summary>
    /// <param name="settled">
    /// Called with each claim's outcome as soon as it has one (an error's as <see cref="OutcomesWithErrors"/> shows it), so that a
    /// sharded verify keeps every finished claim's record when a later one is interrupted.
    /// </param>
    public void VerifyAll(IProgress<ClaimProgress>? progress, Action<ClaimOutcome>? settled, CancellationToken cancel)
    {
        StartBackgroundRuns(progress, cancel);
        var selected = PlanOrder();
        using var seat = new CoreSeat(Budget);
        for (int i = 0; i < selected.Count; i++)
        {
            cancel.ThrowIfCancellationRequested();
            ClaimOutcome outcome;
            try
            {
                outcome = Verify(selected[i].Id, progress, i, selected.Count, seat, cancel);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // Recorded in Errors by Verify; the other claims still run.
                string id = selected[i].Id;
                outcome = ErrorOutcome(Errors.First(x => x.Id == id));
            }

            settled?.Invoke(outcome);
        }
    }

    /// <summary>The pinned part of an outcome, with the claim's baseline tolerance.</summary>
    public BaselineSnapshot Snapshot(ClaimOutcome outcome) =>
        BaselineSnapshot.From(outcome, Catalog.Get(outcome.Id).BaselineTolerance!);

    /// <summary>When the suite started, and how long it has run (the report's environment block).</summary>
    public DateTimeOffset Started => started;

    public TimeSpan Elapsed => clock.Elapsed;

    /// <summary>
    /// Outcomes in catalog order, followed by claims that errored without an outcome: those appear as ERROR with the
    /// error as the reason (their own count, never INCONCLUSIVE; they fail the job's exit code).
    /// </summary>
    public IReadOnlyList<ClaimOutcome> OutcomesWithErrors()
    {
        var catalogOrder = Catalog.Claims.Select((c, i) => (c.Id, i)).ToDictionary(x => x.Id, x => x.i);
        var ordered = Outcomes.OrderBy(o => catalogOrder[o.Id]).ToList();
        return ordered.Concat(Errors.Where(e => ordered.All(o => o.Id != e.Id)).Select(ErrorOutcome)).ToList();
    }

    private ClaimOutcome ErrorOutcome(ClaimError error)
    {
        var claim = Catalog.Get(error.Id);
        return new ClaimOutcome(
            claim.Id, claim.Title, claim.Statement, claim.Citation, Verdict.Error, error.Message, [], claim.Seeds, claim.SeedRuleDescription,
            Settings.Profile, claim.Experiment, [], [], 0)
        {
            RunMinutes = [.. claim.AllExperiments.Select(e => new KeyValuePair<string, double>(e, 0))],
        };
    }
}
