using System.Globalization;
using Grokking.Claims.Contracts;
using Grokking.Configuration;

namespace Grokking.Report;

/// <summary>
/// The report's words and numbers, raw: each renderer escapes them its own way, so every format reads the same.
/// Numbers are formatted invariantly, so a report reads the same whatever the culture of the machine that wrote it.
/// </summary>
internal static class ReportText
{
    public const string Title = "Grokking claims report";
    public const string Absent = "—";
    public const string ExperimentsCaption = "Minutes per experiment (training, shared by its claims):";

    private const int KeyMeasuredCount = 2;

    public static IReadOnlyList<string> SummaryHeaders { get; } =
        ["Claim", "Title", "Verdict", "Scope", "Control", "Key measured vs paper", "Seeds used / diverged", "Seconds"];

    public static IReadOnlyList<string> ExperimentHeaders { get; } = ["Experiment", "Training minutes", "Claims"];

    public const string VariantsCaption =
        "Open choices: the committed outcomes of 'verify --variants' at this profile (a flip means the verdict rests on that choice):";

    public static IReadOnlyList<string> VariantHeaders { get; } = ["Claim", "Alternative", "Committed", "Under it", "Effect", "Made with"];

    public static string[] VariantCells(Grokking.Claims.VariantOutcome o) =>
    [
        o.Claim,
        $"{o.Choice} = {o.Variant} ({o.Experiment})",
        o.Committed is { } committed ? Badge(committed) : Absent,
        AuditText.VerdictText(o.Verdict, o.RuleVerdict),
        o.Effect switch { Grokking.Claims.VariantEffect.Holds => "holds", Grokking.Claims.VariantEffect.Flips => "FLIPS", _ => "undecided" },
        o.Made is { } made ? made.Describe() : Absent,
    ];

    public const string AgreementCaption =
        "ci and paper, from the committed baselines (the ci layer must reach the paper setup's verdict: a disagreement is its defect):";

    public static IReadOnlyList<string> AgreementHeaders { get; } = ["Claim", "ci", "paper", "paper made with", "Agree", "Paper minutes"];

    /// <summary>One claim's row: each verdict, or why it is missing; the paper baseline's engine and day; agree, DISAGREE or —.</summary>
    public static string[] AgreementCells(Grokking.Claims.ProfileAgreement a) =>
    [
        a.Id,
        a.Ci is { } ci ? Badge(ci) : a.CiMissing ?? Absent,
        a.Paper is { } paper ? Badge(paper) : a.PaperMissing ?? Absent,
        a.PaperMade is { } made ? made.Describe() : a.Paper is null ? Absent : "not recorded (before provenance)",
        AgreementCell(a),
        a.PaperMinutes is { } minutes ? $"{Minutes(minutes)} {(a.PaperMinutesRecorded ? "recorded" : "projected")}" : Absent,
    ];

    /// <summary>
    /// agrees; DISAGREES; or, where the claim file declares the ci layer undecidable or out of regime, that, also beside an
    /// equal verdict: a declared ci verdict is INCONCLUSIVE whatever its rule said, so its equality with an INCONCLUSIVE
    /// paper verdict is not the ci layer reaching the paper's answer.
    /// </summary>
    private static string AgreementCell(Grokking.Claims.ProfileAgreement a) => a.Agrees switch
    {
        true when a.CiDeclared is { } declared => $"agrees, ci declared {declared} (claim file)",
        true => "agrees",
        false when a.CiDeclared is { } declared => $"differs: ci declared {declared} (claim file)",
        false => "DISAGREES",
        null => Absent,
    };

    public static IReadOnlyList<string> MeasuredHeaders { get; } = ["Name", "Measured", "Paper", "Unit", "Tolerance", "Per seed"];

    public static string Badge(Verdict verdict) => verdict switch
    {
        Verdict.Confirmed => "CONFIRMED",
        Verdict.Refuted => "REFUTED",
        Verdict.Inconclusive => "INCONCLUSIVE",
        Verdict.Error => "ERROR",
        Verdict.DataMissing => "DATA MISSING",
        _ => verdict.ToString().ToUpperInvariant(),
    };

    /// <summary>"17 CONFIRMED / 8 REFUTED / 4 INCONCLUSIVE / 1 ERROR / 0 DATA MISSING": every count, zeros included.</summary>
    public static string CountsLine(ReportCounts counts) =>
        string.Join(" / ", counts.Each.Select(c => $"{c.Count.ToString(CultureInfo.InvariantCulture)} {Badge(c.Status)}"));

    public static string EnvironmentLine(ReportEnvironment e) => string.Join(" · ",
        $"profile {e.Profile.Name}",
        $"device {e.Device}",
        $"{e.Threads.ToString(CultureInfo.InvariantCulture)} threads"
            + (e.ParallelRuns > 1 ? $" x {e.ParallelRuns.ToString(CultureInfo.InvariantCulture)} runs side by side" : ""),
        $"TorchSharp {e.TorchSharpVersion}",
        $"libtorch {e.LibTorchVersion}",
        $"commit {ShortCommit(e.GitCommit)}",
        $"duration {Duration(e.Seconds)}");

    /// <summary>The suite's measured minutes beside those projected from the recorded costs (issue 27).</summary>
    public static string SuiteMinutesLine(ReportEnvironment e) =>
        $"Suite: {Minutes(e.Seconds / 60)} min measured · "
        + (e.ProjectedSeconds is { } projected
            ? $"{Minutes(projected / 60)} min projected from the recorded costs (baselines/{e.Profile.Name}/costs.json)"
            : $"no projection (no recorded costs in baselines/{e.Profile.Name}/costs.json)");

    public static string EnvironmentDetails(ReportEnvironment e) => string.Join(" · ", new[]
    {
        $"machine {e.Machine}",
        $"started {e.Started.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)} UTC",
        $"libstdc++ shim {e.LibStdCxxShim}",
        $"precision {e.Precision}",
    }.Concat(Provenance(e)));

    /// <summary>The run's provenance beyond the commit (issue 30), where the writer recorded it: engine, dtype, working tree.</summary>
    private static IEnumerable<string> Provenance(ReportEnvironment e)
    {
        if (e.Engine.Length > 0)
        {
            yield return $"engine {e.Engine}";
        }

        if (e.Dtype.Length > 0)
        {
            yield return $"dtype {e.Dtype}";
        }

        if (e.GitDirty is { } dirty)
        {
            yield return dirty
                ? $"working tree changed from the commit{(e.GitDiffHash is { } hash ? $" (diff SHA-256 {hash[..Math.Min(12, hash.Length)]})" : "")}"
                : "working tree clean";
        }
    }

    /// <summary>The first measured values, enough to judge a claim from the summary table alone.</summary>
    public static string KeyMeasured(ClaimOutcome outcome) =>
        outcome.Measured.Count == 0
            ? Absent
            : string.Join("; ", outcome.Measured.Take(KeyMeasuredCount).Select(MeasuredVersusPaper));

    public static string MeasuredVersusPaper(MeasuredValue value)
    {
        string unit = string.IsNullOrEmpty(value.Unit) ? string.Empty : " " + value.Unit;
        string paper = value.Paper is { } p ? $" (paper {Number(p)})" : string.Empty;
        return $"{value.Name}: {Number(value.Value)}{unit}{paper}";
    }

    /// <summary>One row of a claim's measured-values table, in the order of <see cref="MeasuredHeaders"/>.</summary>
    public static string[] MeasuredCells(MeasuredValue value) =>
    [
        value.Name,
        Number(value.Value),
        value.Paper is { } paper ? Number(paper) : Absent,
        string.IsNullOrEmpty(value.Unit) ? Absent : value.Unit,
        value.Tolerance ?? Absent,
        value.PerSeed is { Count: > 0 } perSeed ? string.Join(", ", perSeed.Select(Number)) : Absent,
    ];

    /// <summary>One row of the minutes-per-experiment table, in the order of <see cref="ExperimentHeaders"/>.</summary>
    public static string[] ExperimentCells(ExperimentMinutes row) =>
        [row.Experiment, Minutes(row.TrainMinutes), string.Join(", ", row.ClaimIds)];

    public static string SeedsLine(ClaimOutcome outcome)
    {
        string seeds = outcome.Seeds.Count == 0
            ? "none"
            : string.Join(", ", outcome.Seeds.Select(s => s.ToString(CultureInfo.InvariantCulture)));
        return $"Seeds: {seeds} (combined: {outcome.SeedCombination})";
    }

    public static string DivergenceLine(ClaimOutcome outcome) => outcome.Divergences.Count == 0
        ? "Divergences: none"
        : $"Divergences: {outcome.Divergences.Count} member(s) diverged "
            + "(non-finite loss or gradient; frozen intact before the bad step, reported, decided without them): "
            + string.Join("; ", outcome.Divergences.Select(d => string.Create(
                CultureInfo.InvariantCulture, $"{d.Member} at step {d.Step} (epoch {d.Epoch:0})")));

    /// <summary>The paper the claim comes from, with the section and the figure (or that the paper shows none for it).</summary>
    public static string SourceLine(ClaimOutcome outcome) => string.Join(" · ",
        $"Source: {(outcome.Source.Paper.Length > 0 ? outcome.Source.Paper : Absent)}",
        $"section {outcome.Source.Section}",
        outcome.Source.Figure ?? "no figure");

    public static string RunLine(ClaimOutcome outcome) => $"Profile: {outcome.Profile.Name} · experiment: {outcome.Experiment}";

    /// <summary>One line per damaged cache entry recomputed for the claim; none when nothing was.</summary>
    public static IEnumerable<string> RecoveryLines(ClaimOutcome outcome) => outcome.Recovered.Select(r => $"Recovered: {r.Describe()}");

    /// <summary>Each recovery of the suite once, with the claims that read the recomputed entry (for the console).</summary>
    public static IEnumerable<string> RecoveryLines(IReadOnlyList<ClaimOutcome> outcomes) =>
        outcomes
            .SelectMany(o => o.Recovered.Select(r => (Line: r.Describe(), o.Id)))
            .GroupBy(x => x.Line, StringComparer.Ordinal)
            .Select(g => $"Recovered: {g.Key} (read by {string.Join(", ", g.Select(x => x.Id).Distinct())})");

    public static string SetupLine(ClaimOutcome outcome) => outcome.ProfileChanges.Count == 0
        ? $"Setup: the paper profile's (training {Minutes(outcome.TrainMinutes)} min)"
        : $"Setup: the paper's except ({outcome.Profile.Name}, training {Minutes(outcome.TrainMinutes)} min): "
            + string.Join("; ", outcome.ProfileChanges);

    /// <summary>G4, except that step counts (10^4 to 10^7) print whole: G4 would show 12000 as 1.2E+04.</summary>
    public static string Number(double value) =>
        Math.Abs(value) is >= 1e4 and < 1e7
            ? value.ToString("F0", CultureInfo.InvariantCulture)
            : value.ToString("G4", CultureInfo.InvariantCulture);

    public static string Seconds(double seconds) => seconds.ToString("F1", CultureInfo.InvariantCulture);

    public static string Minutes(double minutes) => minutes.ToString("F1", CultureInfo.InvariantCulture);

    public static string Duration(double seconds)
    {
        if (!double.IsFinite(seconds) || seconds < 60)
        {
            return Seconds(seconds) + " s";
        }

        var span = TimeSpan.FromSeconds(seconds);
        return span.TotalHours >= 1
            ? string.Create(CultureInfo.InvariantCulture, $"{(int)span.TotalHours} h {span.Minutes:00} min")
            : string.Create(CultureInfo.InvariantCulture, $"{span.Minutes} min {span.Seconds:00} s");
    }

    public static string ShortCommit(string commit) =>
        string.IsNullOrWhiteSpace(commit) ? "unknown" : commit.Length > 12 ? commit[..12] : commit;

    public static string OneLine(string text) => text.ReplaceLineEndings(" ");
}
