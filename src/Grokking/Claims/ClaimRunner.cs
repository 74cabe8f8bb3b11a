using System.Diagnostics;
using Grokking.Claims.Analyses;
using Grokking.Configuration;
using Grokking.Runtime;
using Grokking.Training;
using TorchSharp;
using Grokking.Claims.Contracts;

namespace Grokking.Claims;

/// <summary>
/// Verifies claims: resolves each claim's experiment (and its companions) for the profile, gets their runs from the
/// shared cache (training each at most once for all claims that share it), and applies the claim's analysis. A
/// claim whose experiment's data are not on this machine is DATA MISSING before anything trains (<see cref="DataSupply"/>).
/// </summary>
public sealed class ClaimRunner(
    ClaimCatalog catalog,
    RunCache cache,
    Profile profile,
    torch.Device device,
    string reportDirectory,
    RuntimeOptions? runtime = null,
    DataSupply? data = null,
    VariantChoice? variant = null)
{
    private const string NotTrained = "not trained";

    /// <param name="seat">
    /// The foreground's core (<see cref="CoreSeat"/>), kept across claims by the suite: taken for the analysis, left
    /// before waiting for a run another caller trains. Null: a seat of the cache's budget for this claim alone.
    /// </param>
    public ClaimOutcome Verify(
        ClaimDefinition claim,
        IProgress<ClaimProgress>? progress = null,
        int index = 0,
        int count = 1,
        CoreSeat? seat = null,
        CancellationToken cancel = default)
    {
        string? declared = DeclaredUndecidable(claim);
        var sharers = declared is null ? [] : SharersOf(claim);
        if (declared is not null && sharers.Count == 0)
        {
            return Undecidable(claim, declared);
        }

        if (ShortageOf(claim) is { } shortage)
        {
            return DataMissing(claim, shortage);
        }

        using var own = seat is null ? new CoreSeat(cache.Budget) : null;
        return Analysed(claim, declared, sharers, new Step(progress, index, count), seat ?? own!, cancel);
    }

    /// <summary>
    /// Every run the claim reads first (waiting, when a lane trains one, without a core), then its analysis and control
    /// on the foreground's core: the busy threads never outnumber the cores, and a run the foreground waits for can
    /// always get one.
    /// </summary>
    private ClaimOutcome Analysed(ClaimDefinition claim, string? declared, List<string> sharers, Step step, CoreSeat seat, CancellationToken cancel)
    {
        var clock = Stopwatch.StartNew();
        var analysis = AnalysisRegistry.Get(claim.Analysis);
        var log = step.Progress is null
            ? null
            : new Relay<string>(phase => step.Progress.Report(new ClaimProgress(claim.Id, step.Index, step.Count, phase, null)));
        var runs = claim.AllExperiments
            .Select(name => Run(claim, catalog.Experiments[name], analysis.Trains, step, seat, cancel))
            .ToList();
        seat.Take(cancel);
        var computing = Stopwatch.StartNew();
        var contexts = runs.Select(run => ContextOf(claim, run, log)).ToList();
        var context = contexts[0] with { Companions = contexts.Skip(1).ToDictionary(c => c.Experiment) };
        step.Report(claim, "analysis");
        var analysed = analysis.Analyze(context);
        var ruleVerdict = analysed.Verdict;
        step.Report(claim, "control");
        var (result, control) = ControlCheck.Apply(analysis, context, analysed);
        if (declared is not null)
        {
            result = Declared(result, declared, sharers);
        }
        else if (claim.OutOfRegimeAt.GetValueOrDefault(profile.Name) is { } regime)
        {
            result = OutOfRegime(result, profile, regime);
        }
        else if (claim.InconclusiveAt.GetValueOrDefault(profile.Name) is { } recorded)
        {
            result = WithRecordedReason(result, profile, recorded);
        }

        return Outcome(claim, result, context, contexts, runs, clock.Elapsed.TotalSeconds) with
        {
            Control = control,
            RuleVerdict = ruleVerdict,
            Recovered = RecoveredIn(runs),
            AnalysisSeconds = computing.Elapsed.TotalSeconds,
        };
    }

    /// <summary>Where a claim's progress goes: the reporter and the claim's place in the suite.</summary>
    private sealed record Step(IProgress<ClaimProgress>? Progress, int Index, int Count)
    {
        public void Report(ClaimDefinition claim, string phase) => Progress?.Report(new ClaimProgress(claim.Id, Index, Count, phase, null));
    }

    private ClaimContext ContextOf(ClaimDefinition claim, CachedRun run, IProgress<string>? log) =>
        new(claim, run.Result, run.Directory, profile, Path.GetFullPath(reportDirectory), run.Options, device, log)
        {
            Experiment = run.Experiment,
        };

    /// <summary>
    /// The outcome of an analysed claim: the analysis's result, the seeds of its primary experiment, and what every run
    /// it read (its experiment and companions) cost and where their members diverged.
    /// </summary>
    private ClaimOutcome Outcome(
        ClaimDefinition claim,
        AnalysisResult result,
        ClaimContext context,
        List<ClaimContext> contexts,
        List<CachedRun> runs,
        double seconds) =>
        new(
            claim.Id,
            claim.Title,
            claim.Statement,
            claim.Citation,
            result.Verdict,
            result.Reason,
            result.Measured,
            context.Members.Select(m => m.Seed).Distinct().Order().ToList(),
            claim.SeedRuleDescription,
            context.Profile,
            string.Join("; ", runs.Select(Describe)),
            ChoicesOf(claim),
            result.Figures,
            seconds)
        {
            Scope = claim.ScopeKind,
            Comparisons = result.Comparisons,
            Divergences = DivergencesIn(contexts, byExperiment: runs.Count > 1),
            ProfileChanges = ProfileChangesOf(claim),
            TrainMinutes = runs.Sum(r => r.TrainSeconds) / 60,
            CachedRuns = [.. runs.Where(r => r.FromCache).Select(r => r.Experiment)],
            RunMinutes =
            [
                .. runs
                    .Where(r => r.Key != NotTrained)
                    .Select(r => new KeyValuePair<string, double>(r.Experiment, r.TrainSeconds / 60)),
            ],
        };

    /// <summary>
    /// The damaged cache entries recomputed for the claim's runs: the run directories the cache replaced, and the landscape
    /// files its analysis found damaged (every claim that shares the run reports its recovery; a landscape file is
    /// reported by the claim whose analysis recomputed it).
    /// </summary>
    internal static List<CacheRecovery> RecoveredIn(List<CachedRun> runs) =>
    [
        .. runs.SelectMany(r => r.Recovered),
        .. runs.Where(r => r.Directory.Length > 0).SelectMany(r => Landscape.LandscapeCache.TakeRecoveries(r.Directory)),
    ];

    /// <summary>The members that diverged in any of the runs, labelled by experiment when the claim reads several.</summary>
    private static List<SeedDivergence> DivergencesIn(List<ClaimContext> contexts, bool byExperiment) =>
        contexts
            .SelectMany(c => c.Members
                .Select(m => (Member: m, Events: c.Result.Events[m.Index]))
                .Where(x => x.Events.Diverged)
                .Select(x => new SeedDivergence(
                    x.Member.Seed,
                    byExperiment ? $"{c.Experiment}: {x.Member.Label}" : x.Member.Label,
                    x.Events.DivergedStep,
                    c.Result.EpochOf(x.Events.DivergedStep))))
            .ToList();

    /// <summary>A claim declared undecidable at this profile: INCONCLUSIVE with its measured reason, nothing trained.</summary>
    private ClaimOutcome Undecidable(ClaimDefinition claim, string why) =>
        NotRun(
            claim,
            Verdict.Inconclusive,
            $"not decidable at {profile.Name} (declared in the claim file, not run): {why}",
            $"not run at {profile.Name}");

    /// <summary>A claim whose data are missing: DATA MISSING with what is missing where and the command that installs it.</summary>
    private ClaimOutcome DataMissing(ClaimDefinition claim, DataShortage shortage) =>
        NotRun(claim, Verdict.DataMissing, $"nothing trained: {shortage.Reason}", "not run: data missing") with { Fix = shortage.Fix };

    /// <summary>An outcome with nothing trained or measured: the claim's description, the reason, no values.</summary>
    private ClaimOutcome NotRun(ClaimDefinition claim, Verdict verdict, string reason, string experimentNote) =>
        new(
            claim.Id,
            claim.Title,
            claim.Statement,
            claim.Citation,
            verdict,
            reason,
            [],
            [],
            claim.SeedRuleDescription,
            profile,
            string.Join("; ", claim.AllExperiments.Select(e => $"{e} ({experimentNote})")),
            ChoicesOf(claim),
            [],
            0)
        {
            Scope = claim.ScopeKind,
            ProfileChanges = ProfileChangesOf(claim),
            RunMinutes = [],
        };

    /// <summary>
    /// The decidable claims that train every run an undecidable claim reads at this profile: when there are any, its runs
    /// are trained anyway, so its analysis is applied to them and reports what they measure instead of a bare declaration.
    /// </summary>
    private List<string> SharersOf(ClaimDefinition claim)
    {
        var trainers = catalog.Claims
            .Where(c => c.Id != claim.Id && DeclaredUndecidable(c) is null && AnalysisRegistry.Get(c.Analysis).Trains)
            .ToList();
        var perRun = claim.AllExperiments
            .Select(e => trainers.Where(c => c.AllExperiments.Contains(e)).Select(c => c.Id).ToList())
            .ToList();
        return AnalysisRegistry.Get(claim.Analysis).Trains && perRun.All(ids => ids.Count > 0)
            ? [.. perRun.SelectMany(ids => ids).Distinct().Order()]
            : [];
    }

    /// <summary>
    /// The analysis of a claim declared undecidable at this profile, on runs other claims train: an INCONCLUSIVE result
    /// keeps the declared reason beside the measured one; a decisive one stands, and its reason says the declaration is
    /// out of date (a measurement outranks it).
    /// </summary>
    private AnalysisResult Declared(AnalysisResult result, string declared, IReadOnlyList<string> sharers)
    {
        string shared = $"measured on the run(s) it shares with {string.Join(", ", sharers)}";
        string reason = result.Verdict == Verdict.Inconclusive
            ? $"not decidable at {profile.Name} (declared in the claim file; {shared}): {result.Reason}. Declared reason: {declared}"
            : $"{result.Reason} (decided at {profile.Name}, {shared}, although the claim file declares it undecidable there: "
                + "the declaration is out of date)";
        return result with { Reason = reason };
    }

    /// <summary>
    /// The result of a claim whose setup at this profile is declared out of the paper's regime: INCONCLUSIVE whatever the
    /// rule found, with the rule's own verdict and reason kept beside the declared one, so the report shows what the
    /// reduced setup measured without letting it stand for the paper's claim.
    /// </summary>
    internal static AnalysisResult OutOfRegime(AnalysisResult result, Profile profile, string declared) => result with
    {
        Verdict = Verdict.Inconclusive,
        Reason = $"out of the paper's regime at {profile.Name} (declared in the claim file), so not decided here; "
            + $"the rule measured {result.Verdict.ToString().ToUpperInvariant()}: {result.Reason}. Declared reason: {declared}",
    };

    /// <summary>
    /// An INCONCLUSIVE result with the claim file's measured reason for it appended (inconclusiveAt); a decisive result is
    /// left as it is, since the file's reason describes a baseline this run no longer matches (a unit test flags it).
    /// </summary>
    internal static AnalysisResult WithRecordedReason(AnalysisResult result, Profile profile, string recorded) =>
        result.Verdict != Verdict.Inconclusive ? result
            : result with { Reason = $"{result.Reason}. Measured reason at {profile.Name} (claim file): {recorded}" };

    /// <summary>
    /// The reason the claim file gives why this profile cannot decide the claim; null when it can. The file's
    /// "undecidableAt" keys are profile names, so the name is used here, at the edge, and nowhere else in the runner.
    /// </summary>
    private string? DeclaredUndecidable(ClaimDefinition claim) => claim.UndecidableAt.GetValueOrDefault(profile.Name);

    /// <summary>The claim's own choices, then those of every experiment it reads.</summary>
    private List<string> ChoicesOf(ClaimDefinition claim) =>
        [.. claim.Choices, .. claim.AllExperiments.SelectMany(e => catalog.Experiments[e].AllChoices).Distinct()];

    /// <summary>Where the profile departs from the paper setup; prefixed by the experiment when the claim reads several.</summary>
    private List<string> ProfileChangesOf(ClaimDefinition claim) => claim.Companions.Count == 0
        ? [.. ChangesFromPaper(claim.Experiment)]
        : [.. claim.AllExperiments.SelectMany(e => ChangesFromPaper(e).Select(c => $"{e}: {c}"))];

    private IEnumerable<string> ChangesFromPaper(string experiment) =>
        ExperimentResolver.ChangesFromPaper(catalog.Experiments[experiment], profile);

    /// <summary>
    /// The runs a claim trains (its experiment and companions, resolved for the profile); none when its analysis builds
    /// its own models.
    /// </summary>
    public IEnumerable<(string Experiment, GrokkingOptions Options)> TrainedRuns(ClaimDefinition claim) =>
        AnalysisRegistry.Get(claim.Analysis).Trains && (DeclaredUndecidable(claim) is null || SharersOf(claim).Count > 0)
            ? claim.AllExperiments
                .Select(name => (Experiment: name, Options: Resolve(catalog.Experiments[name])))
                .Where(run => data?.Check(catalog.Experiments[run.Experiment], run.Options) is null)
            : [];

    /// <summary>The first of the claim's experiments whose data are missing (after trying to obtain them); null when none.</summary>
    public DataShortage? ShortageOf(ClaimDefinition claim) =>
        data is null
            ? null
            : claim.AllExperiments
                .Select(name => catalog.Experiments[name])
                .Select(e => data.Check(e, Resolve(e)))
                .FirstOrDefault(s => s is not null);

    /// <summary>What the experiment lacks of its data on this machine (after trying to obtain them); null when nothing.</summary>
    public DataShortage? ShortageOf(ExperimentDefinition experiment) => data?.Check(experiment, Resolve(experiment));

    /// <summary>The experiment for this runner's profile, its runtime and the caller's data location.</summary>
    private GrokkingOptions Resolve(ExperimentDefinition experiment) =>
        ExperimentResolver.Resolve(
            experiment, profile, runtime, data?.Locations, variant?.LayerFor(experiment, profile));

    /// <summary>Trains a run for the background lanes (see <see cref="RunCache.TrainIfUnrequested"/>).</summary>
    public bool TrainInBackground(string experiment, GrokkingOptions options, CancellationToken cancel) =>
        cache.TrainIfUnrequested(experiment, options, device, cancel);

    private CachedRun Run(ClaimDefinition claim, ExperimentDefinition experiment, bool train, Step step, CoreSeat seat, CancellationToken cancel)
    {
        var options = Resolve(experiment);
        if (!train)
        {
            // Analyses that build their own models read the members and options only.
            var members = PopulationSetup.Members(options);
            var empty = new TrainingResult
            {
                Members = members,
                Metrics = [],
                Events = [.. members.Select(m => MemberEvents.None(m.Index))],
                StepsPerEpoch = 1,
                StepLosses = [],
                StepsCompleted = 0,
                Interrupted = false,
            };
            return new CachedRun(experiment.Name, NotTrained, "", options, empty, FromCache: false, TrainSeconds: 0);
        }

        step.Report(claim, $"run {experiment.Name}");
        var trainingProgress = step.Progress is null
            ? null
            : new Relay<TrainingProgress>(p => step.Progress.Report(new ClaimProgress(claim.Id, step.Index, step.Count, "training", p)));
        return cache.GetOrTrain(experiment.Name, options, device, trainingProgress, seat.Leave, cancel);
    }

    private static string Describe(CachedRun run) =>
        run.Key == NotTrained
            ? $"{run.Experiment} (options only, no training)"
            : $"{run.Experiment} ({run.Key}{(run.FromCache ? ", cached" : "")}; trained in {run.TrainSeconds:0} s)";

    private sealed class Relay<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
