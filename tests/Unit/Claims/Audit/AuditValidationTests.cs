using Grokking.Claims;
using Grokking.Claims.Analyses;
using Grokking.Claims.Contracts;

namespace Grokking.Tests.Unit.Claims.Audit;

/// <summary>The claim file's scope and control keys are checked at load, each failure naming the file and the field.</summary>
public sealed class AuditValidationTests
{
    [Theory]
    [InlineData("other", "refuted", "r", "d", "control.name", "is 'other', but analysis 'controlled' implements the control 'shuffled'")]
    [InlineData("shuffled", "confirmed", "r", "d", "control.expect", "is 'confirmed'; a negative control must be expected 'refuted'")]
    [InlineData("shuffled", "refuted", " ", "d", "control.reason", "is missing: why the rule must refute the control")]
    [InlineData("shuffled", "refuted", "r", "", "control.description", "is missing: what data the control is")]
    public void A_bad_control_names_the_file_and_the_field(string name, string expect, string reason, string description, string field, string problem)
    {
        var claim = ControlCheckTests.WithControl(name, expect, reason);
        claim.Control!.Description = description;

        var act = () => Validator(claim).ValidateAudit(new ControlledAnalysis("shuffled", Verdict.Refuted));

        act.Should().Throw<ClaimDefinitionException>().WithMessage($"MC-1.json: '{field}' {problem}");
    }

    [Fact]
    public void A_control_on_an_analysis_without_one_is_refused()
    {
        var act = () => Validator(ControlCheckTests.WithControl("shuffled")).ValidateAudit(new ControlledAnalysis(null, Verdict.Refuted));

        act.Should().Throw<ClaimDefinitionException>()
            .WithMessage("MC-1.json: 'control.name' is 'shuffled', but analysis 'controlled' implements no control");
    }

    [Theory]
    [InlineData("always", "r", "scope.kind", "is 'always'; allowed: universal, typical")]
    [InlineData("universal", "", "scope.reason", "is missing: why the paper's words make the claim universal or typical")]
    public void A_bad_scope_names_the_file_and_the_field(string kind, string reason, string field, string problem)
    {
        var claim = ControlCheckTests.WithControl("shuffled");
        claim.Scope = new ScopeDeclaration { Kind = kind, Reason = reason };

        var act = () => Validator(claim).ValidateAudit(new ControlledAnalysis("shuffled", Verdict.Refuted));

        act.Should().Throw<ClaimDefinitionException>().WithMessage($"MC-1.json: '{field}' {problem}");
    }

    [Fact]
    public void A_good_scope_and_control_pass_and_a_claim_built_in_code_without_a_scope_reads_as_typical()
    {
        var claim = ControlCheckTests.WithControl("shuffled");
        claim.Scope = new ScopeDeclaration { Kind = "universal", Reason = "the paper says always" };

        var act = () => Validator(claim).ValidateAudit(new ControlledAnalysis("shuffled", Verdict.Refuted));

        act.Should().NotThrow();
        claim.ScopeKind.Should().Be(ClaimScope.Universal);
        new ClaimDefinition().ScopeKind.Should().Be(ClaimScope.Typical);
    }

    [Fact]
    public void A_claim_file_without_a_scope_or_a_control_is_refused_naming_the_key()
    {
        var noScope = ControlCheckTests.WithControl("shuffled");
        noScope.Scope = null;
        var noControl = ControlCheckTests.WithControl("shuffled");
        noControl.Control = null;

        var withoutScope = () => Validator(noScope).ValidateAudit(new ControlledAnalysis("shuffled", Verdict.Refuted));
        var withoutControl = () => Validator(noControl).ValidateAudit(new ControlledAnalysis("shuffled", Verdict.Refuted));

        withoutScope.Should().Throw<ClaimDefinitionException>().WithMessage("MC-1.json: 'scope' is missing*");
        withoutControl.Should().Throw<ClaimDefinitionException>().WithMessage("MC-1.json: 'control' is missing*");
    }

    [Fact]
    public void Every_discovered_analysis_implements_a_negative_control()
    {
        var without = AnalysisRegistry.Names.Where(n => AnalysisRegistry.Get(n).ControlName is null).ToList();

        without.Should().BeEmpty("every rule needs a control it must refute (issue 25)");
    }

    private static ClaimValidator Validator(ClaimDefinition claim) => new(
        claim, null!, new Dictionary<string, ExperimentDefinition>(), new Dictionary<string, IReadOnlyList<ExperimentSetup>>());
}
