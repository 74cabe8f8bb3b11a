using Grokking.Claims.Contracts;
using Grokking.Report;
using Grokking.Configuration;

namespace Grokking.Tests.Unit.Report;

/// <summary>A two-claim report on one experiment, for the renderer tests; no figure files exist for it.</summary>
internal static class ReportFixtures
{
    public static ReportEnvironment Environment { get; } = new(
        GitCommit: "0123456789abcdef0123456789abcdef01234567",
        TorchSharpVersion: "0.107.0",
        LibTorchVersion: "2.7.1",
        Device: "cpu",
        Threads: 16,
        Profile: Profile.Ci,
        Machine: "test-host",
        LibStdCxxShim: "not needed",
        Started: new DateTimeOffset(2025, 11, 22, 20, 0, 0, TimeSpan.Zero),
        Seconds: 3725)
    {
        Engine = "engine-test",
        GitDirty = true,
        GitDiffHash = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff",
        Dtype = "float32",
        Configuration = [new("Profile", "ci"), new("Runtime:Threads", "0")],
        Precision = "full float32 (CPU: no reduced-precision math)",
    };

    private static readonly Quantity Delay = new("delay", "delay", "steps");

    /// <summary>A typical comparison, CONFIRMED: validation accuracy >= 0.95 over three seeds.</summary>
    public static Comparison ValAccComparison { get; } =
        Thresholds.Typical(new Quantity("valAcc", "validation accuracy"), [0.99, 0.992, 0.995], Relation.AtLeast, 0.95);

    /// <summary>A universal comparison, CONFIRMED: every seed's delay >= 10000 steps, resolution 100 steps.</summary>
    public static Comparison DelayComparison { get; } = Thresholds.Universal(Delay, [12000, 12345.6, 13000], Relation.AtLeast, 10000, 100);

    public static ClaimOutcome Confirmed { get; } = new(
        Id: "MC_1",
        Title: "Memorisation precedes generalisation",
        Statement: "Validation accuracy lags train accuracy.",
        Source: new ClaimSource("Grokking: Generalization beyond overfitting on small algorithmic datasets", "3.1", "Fig. 1"),
        Verdict: Verdict.Confirmed,
        Reason: "Validation accuracy reached 99% long after train accuracy did.",
        Measured:
        [
            new MeasuredValue("val_acc", 0.99123, "", Paper: 1.0, Tolerance: ">= 0.95", PerSeed: [0.99, 0.992], Key: "valAcc"),
            new MeasuredValue("delay", 12345.6, "steps", Paper: 1e4, Tolerance: "x10", Key: "delay"),
        ],
        Seeds: [1, 2],
        SeedCombination: "median",
        Profile: Profile.Ci,
        Experiment: "modular-addition (p59-d64; trained in 1200 s)",
        Choices: ["p = 59"],
        Figures: [new ClaimFigure("Accuracy", "figures/mc1.png", null)],
        Seconds: 42.5)
    {
        Scope = ClaimScope.Universal,
        Comparisons = [ValAccComparison, DelayComparison],
        Control = new ControlOutcome(
            "train-as-validation", "the validation curve replaced by the train curve", Verdict.Refuted, Verdict.Refuted,
            "no delay", [Thresholds.Universal(Delay, [0, 0, 0], Relation.AtLeast, 10000, 100)]),
        Divergences = [new SeedDivergence(2, "wd=1 seed 2", 1200, 12.4)],
        ProfileChanges = ["Data:Modulus: 97 -> 59"],
        TrainMinutes = 20,
        RunMinutes = [new("modular-addition", 20)],
        Recovered =
        [
            new Grokking.Training.CacheRecovery(
                "modular-addition-0123456789abcdef", "members.json", "content does not match the manifest (SHA-256 differs)",
                "/cache/modular-addition-0123456789abcdef.damaged-20251122T200000"),
        ],
    };

    public static ClaimOutcome Refuted { get; } = Confirmed with
    {
        Scope = ClaimScope.Typical,
        Comparisons = [],
        Control = null,
        Id = "WN_2",
        Title = "Weight <norm> & friends",
        Source = new ClaimSource("Norms <and> weights", "2, 4.3.2 and the abstract", null),
        Verdict = Verdict.Refuted,
        Reason = "The weight norm grew.",
        Measured = [new MeasuredValue("weight_norm", double.NaN, "", PerSeed: [double.NaN, 1.5], Key: "weightNorm")],
        Experiment = "modular-addition (p59-d64, cached; trained in 0 s)",
        Divergences = [],
        ProfileChanges = [],
        TrainMinutes = 0,
        RunMinutes = [new("modular-addition", 0)],
        Recovered = [],
    };

    public static IReadOnlyList<ClaimOutcome> Outcomes { get; } = [Confirmed, Refuted];

    /// <summary>The two claims' committed verdicts: one agreeing pair with its provenance, one paper baseline not yet made.</summary>
    public static IReadOnlyList<Grokking.Claims.ProfileAgreement> Agreement { get; } =
    [
        new(Confirmed.Id, Verdict.Confirmed, null, Verdict.Confirmed, null,
            new("engine-test", "2026-01-02") { Device = "cpu", ReducedPrecision = false })
        {
            PaperMinutes = 134.25, PaperMinutesRecorded = true,
        },
        new(Refuted.Id, null, "no ci baseline", null, "no paper baseline yet (needs a GPU: x training projected 300.0 CPU-hours on cpu)", null),
    ];

    /// <summary>
    /// The first claim under three alternatives: one holds (with its provenance), one leaves it undecided without a
    /// baseline, one leaves it INCONCLUSIVE by the profile's declaration while its rule confirms.
    /// </summary>
    public static IReadOnlyList<Grokking.Claims.VariantOutcome> Variants { get; } =
    [
        new("modular-addition", "lr-0.01", "the learning rate", Confirmed.Id, Verdict.Confirmed, Verdict.Confirmed)
        {
            Made = new("engine-test", "2026-01-03") { Device = "cuda", ReducedPrecision = true },
        },
        new("modular-addition", "width-128", "the width", Confirmed.Id, null, Verdict.Refuted),
        new("modular-addition", "fraction-0.3", "the train fraction", Confirmed.Id, Verdict.Confirmed, Verdict.Inconclusive)
        {
            RuleVerdict = Verdict.Confirmed,
        },
    ];

    public static ReportDocument Document() => new(Environment, Outcomes, Agreement) { Variants = Variants };
}
