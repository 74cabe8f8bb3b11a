using FluentAssertions;
using Grokking.Claims.Contracts;
using Xunit;

namespace Grokking.Tests.Unit.Claims;

/// <summary>The binder turns a claim's rule parameters into a typed record, and refuses what the record cannot mean.</summary>
public sealed class RuleParameterBinderTests
{
    public sealed record Drops([ParameterName("dropFrom")][Within(0, 1)] double From, [Within(0, 1000)] double WindowEpochs);

    public sealed record Sample(
        [Within(0, 1)] double MinShare,
        [Within(1, 100)] int MinDrops,
        double? CriticalFactor,
        Drops Rules,
        [FromPaper("point 2")] double PaperPoint2);

    private static ClaimDefinition Claim(params (string Name, double Value)[] parameters) => new()
    {
        Id = "XY-1",
        File = "claims/XY-1.json",
        Analysis = "sample",
        Paper = [new PaperValue("point 2", 1600)],
        RuleParameters = [.. parameters.Select(p => new RuleParameter(p.Name, p.Value, "because"))],
    };

    private static readonly (string, double)[] Complete =
        [("minShare", 0.66), ("minDrops", 2), ("dropFrom", 0.99), ("windowEpochs", 20)];

    [Fact]
    public void Binds_names_groups_optional_and_paper_values()
    {
        var bound = (Sample)RuleParameterBinder.Bind(typeof(Sample), Claim(Complete), "sample");

        bound.Should().Be(new Sample(0.66, 2, null, new Drops(0.99, 20), 1600));
        var withOptional = (Sample)RuleParameterBinder.Bind(typeof(Sample), Claim([.. Complete, ("criticalFactor", 1.5)]), "sample");
        withOptional.CriticalFactor.Should().Be(1.5);
    }

    [Fact]
    public void The_names_a_claim_must_state_are_derived_from_the_record()
    {
        RuleParameterBinder.Names(typeof(Sample)).Should().Equal("minShare", "minDrops", "criticalFactor", "dropFrom", "windowEpochs");
        RuleParameterBinder.PaperNames(typeof(Sample)).Should().Equal("point 2");
    }

    [Theory]
    [InlineData("minShare", double.NaN, "*'ruleParameters.minShare' is not a finite number*")]
    [InlineData("minShare", -5, "*'ruleParameters.minShare' is -5, outside its range [0, 1]*")]
    [InlineData("dropFrom", 1.5, "*'ruleParameters.dropFrom' is 1.5, outside its range [0, 1]*")]
    [InlineData("minDrops", 2.5, "*'ruleParameters.minDrops' is 2.5, but it counts: it must be a whole number*")]
    [InlineData("minDrops", 0, "*'ruleParameters.minDrops' is 0, outside its range [1, 100]*")]
    public void A_value_the_record_cannot_mean_names_the_file_and_field(string name, double value, string message)
    {
        var parameters = Complete.Select(p => p.Item1 == name ? (name, value) : p).ToArray();

        var bind = () => RuleParameterBinder.Bind(typeof(Sample), Claim(parameters), "sample");

        bind.Should().Throw<ClaimDefinitionException>().WithMessage("claims/XY-1.json: " + message);
    }

    [Fact]
    public void A_missing_parameter_an_unknown_one_and_a_missing_paper_value_are_refused()
    {
        var missing = () => RuleParameterBinder.Bind(typeof(Sample), Claim([.. Complete.Skip(1)]), "sample");
        missing.Should().Throw<ClaimDefinitionException>().WithMessage("*'ruleParameters.minShare' is missing (analysis 'sample' needs it)*");

        var unknown = () => RuleParameterBinder.Bind(typeof(Sample), Claim([.. Complete, ("minShaer", 0.5)]), "sample");
        unknown.Should().Throw<ClaimDefinitionException>().WithMessage("*'ruleParameters.minShaer' is not a parameter of analysis 'sample'*minShare*");

        var claim = Claim(Complete);
        claim.Paper.Clear();
        var paper = () => RuleParameterBinder.Bind(typeof(Sample), claim, "sample");
        paper.Should().Throw<ClaimDefinitionException>().WithMessage("*'paper.point 2' is missing (analysis 'sample' reports it)*");
    }

    [Fact]
    public void A_claim_built_in_code_binds_on_first_use_with_the_same_checks()
    {
        var claim = Claim(Complete);

        claim.ParametersAs<Sample>().MinDrops.Should().Be(2);
        claim.Parameters.Should().BeOfType<Sample>();
    }
}
