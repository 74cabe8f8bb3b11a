using Grokking.Claims;
using Grokking.Claims.Analyses;
using Grokking.Claims.Contracts;
using Grokking.Configuration;

namespace Grokking.Tests.Unit.Claims.Audit;

/// <summary>
/// The control's verdict bounds the claim's: CONFIRMED makes the claim INCONCLUSIVE (cannot discriminate) keeping the
/// rule's verdict in the reason; INCONCLUSIVE is noted (ability to fail unshown); REFUTED leaves the claim as it is.
/// </summary>
public sealed class ControlCheckTests
{
    private static readonly AnalysisResult Claimed = new(Verdict.Confirmed, "the delay is long", [], [new ClaimFigure("main", "m.png", null)]);

    [Theory]
    [InlineData(Verdict.Confirmed)]
    [InlineData(Verdict.Refuted)]
    public void A_confirmed_control_makes_the_claim_inconclusive_keeping_the_rules_verdict_in_the_reason(Verdict rule)
    {
        var bounded = ControlCheck.Bound(Claimed with { Verdict = rule }, Control(Verdict.Confirmed));

        bounded.Verdict.Should().Be(Verdict.Inconclusive);
        bounded.Reason.Should().StartWith("the rule cannot discriminate: its negative control 'shuffled' came out CONFIRMED (control reason)")
            .And.EndWith($"on the claim's data alone it says {rule.ToString().ToUpperInvariant()}: the delay is long");
    }

    [Fact]
    public void An_inconclusive_control_is_noted_and_leaves_the_verdict()
    {
        var bounded = ControlCheck.Bound(Claimed, Control(Verdict.Inconclusive));

        bounded.Verdict.Should().Be(Verdict.Confirmed);
        bounded.Reason.Should().StartWith("the delay is long").And.Contain("came out INCONCLUSIVE: the rule's ability to fail is unshown");
    }

    [Fact]
    public void A_refuted_control_leaves_the_claim_as_it_is()
    {
        ControlCheck.Bound(Claimed, Control(Verdict.Refuted)).Should().Be(Claimed);
        Control(Verdict.Refuted).Discriminates.Should().BeTrue();
        Control(Verdict.Confirmed).Discriminates.Should().BeFalse();
    }

    [Fact]
    public void Apply_runs_the_analysis_on_its_control_and_adds_its_figures()
    {
        var analysis = new ControlledAnalysis("shuffled", Verdict.Confirmed);

        var (result, control) = ControlCheck.Apply(analysis, Context(WithControl("shuffled")), Claimed);

        control.Should().NotBeNull();
        control!.Name.Should().Be("shuffled");
        control.Description.Should().Be("labels shuffled");
        control.Expected.Should().Be(Verdict.Refuted);
        control.Verdict.Should().Be(Verdict.Confirmed);
        control.Comparisons.Should().ContainSingle();
        result.Verdict.Should().Be(Verdict.Inconclusive);
        result.Figures.Select(f => f.Title).Should().Equal("main", "control");
    }

    [Fact]
    public void Apply_without_a_declared_control_leaves_the_result_and_reports_none()
    {
        var analysis = new ControlledAnalysis("shuffled", Verdict.Confirmed);

        var (result, control) = ControlCheck.Apply(analysis, Context(new ClaimDefinition { Id = "MC-1" }), Claimed);

        control.Should().BeNull();
        result.Should().Be(Claimed);
        analysis.ControlRuns.Should().Be(0, "no control is run when the claim declares none");
    }

    internal static ClaimDefinition WithControl(string name, string expect = "refuted", string reason = "by the rule's logic") => new()
    {
        Id = "MC-1",
        File = "MC-1.json",
        Analysis = "controlled",
        Scope = new ScopeDeclaration { Kind = "typical", Reason = "the paper describes the usual behaviour" },
        Control = new ControlDeclaration { Name = name, Description = "labels shuffled", Expect = expect, Reason = reason },
    };

    private static ClaimContext Context(ClaimDefinition claim) => new(claim, null!, "", Profile.Ci, "");

    private static ControlOutcome Control(Verdict verdict) => new("shuffled", "labels shuffled", Verdict.Refuted, verdict, "control reason", []);
}

/// <summary>An analysis whose control comes out as told (test double; not in the registry's assembly).</summary>
internal sealed class ControlledAnalysis(string? controlName, Verdict controlVerdict) : IClaimAnalysis
{
    public int ControlRuns { get; private set; }

    public string Name => "controlled";

    public Type ParametersType => typeof(object);

    public SeedRule SeedRule => default;

    public string? ControlName => controlName;

    public AnalysisResult Analyze(ClaimContext context) => throw new NotSupportedException();

    public AnalysisResult AnalyzeControl(ClaimContext context)
    {
        ControlRuns++;
        var comparison = Thresholds.Typical(new Quantity("q", "q"), [1, 2, 3], Relation.AtMost, 10);
        return new AnalysisResult(controlVerdict, "control reason", [], [new ClaimFigure("control", "c.png", null)]) { Comparisons = [comparison] };
    }
}
