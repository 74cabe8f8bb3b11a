using FluentAssertions;
using Grokking.Claims;
using Grokking.Claims.Contracts;
using Xunit;

namespace Grokking.Tests.Unit.Claims;

/// <summary>Shared parameter blocks: included by name, overridden by the claim's own parameter, never ambiguous.</summary>
public sealed class ParameterBlocksTests : IDisposable
{
    private readonly string directory = Path.Combine(Path.GetTempPath(), "grokking-blocks-" + Guid.NewGuid().ToString("N"));

    public ParameterBlocksTests()
    {
        Directory.CreateDirectory(directory);
        Write("robust", """{ "name": "robust", "about": "point 2", "ruleParameters": [ { "name": "robustValAccuracy", "value": 0.99, "reason": "shared" } ] }""");
        Write("drops", """{ "name": "drops", "about": "drops", "ruleParameters": [ { "name": "dropTo", "value": 0.5, "reason": "shared" }, { "name": "dropFrom", "value": 0.99, "reason": "shared" } ] }""");
    }

    public void Dispose() => Directory.Delete(directory, recursive: true);

    private void Write(string name, string json) => File.WriteAllText(Path.Combine(directory, name + ".json"), json);

    private static readonly System.Text.Json.JsonSerializerOptions Json = new() { PropertyNameCaseInsensitive = true };

    private ParameterBlocks Load() => ParameterBlocks.Load(
        directory,
        file => System.Text.Json.JsonSerializer.Deserialize<ParameterBlock>(File.ReadAllText(file), Json)!,
        file => Path.GetFileName(file));

    private static ClaimDefinition Claim(IEnumerable<string> include, params RuleParameter[] own) =>
        new() { Id = "XY-1", File = "claims/XY-1.json", Include = [.. include], RuleParameters = [.. own] };

    [Fact]
    public void Included_parameters_are_added_and_the_claims_own_override_them()
    {
        var claim = Claim(["robust", "drops"], new RuleParameter("dropTo", 0.3, "this paper's collapses are deeper"));

        Load().Resolve(claim);

        claim.RuleParameters.Select(p => (p.Name, p.Value, p.Reason)).Should().BeEquivalentTo(
            [("dropTo", 0.3, "this paper's collapses are deeper"), ("robustValAccuracy", 0.99, "shared"), ("dropFrom", 0.99, "shared")]);
    }

    [Fact]
    public void An_unknown_block_a_twice_stated_name_and_two_blocks_stating_one_name_are_refused()
    {
        var blocks = Load();
        var unknown = () => blocks.Resolve(Claim(["nope"]));
        unknown.Should().Throw<ClaimDefinitionException>().WithMessage("claims/XY-1.json: 'include' names 'nope', which is not a block*robust*");

        var twice = () => blocks.Resolve(Claim([], new RuleParameter("a", 1, "r"), new RuleParameter("a", 2, "r")));
        twice.Should().Throw<ClaimDefinitionException>().WithMessage("*'ruleParameters.a' is stated twice*");

        Write("robust2", """{ "name": "robust2", "about": "again", "ruleParameters": [ { "name": "robustValAccuracy", "value": 0.98, "reason": "other" } ] }""");
        var both = () => Load().Resolve(Claim(["robust", "robust2"]));
        both.Should().Throw<ClaimDefinitionException>().WithMessage("*blocks 'robust' and 'robust2' both state 'robustValAccuracy'*");
    }

    [Fact]
    public void A_block_whose_name_is_not_its_file_name_is_refused()
    {
        Write("misnamed", """{ "name": "other", "about": "x", "ruleParameters": [ { "name": "a", "value": 1, "reason": "r" } ] }""");

        var load = Load;

        load.Should().Throw<ClaimDefinitionException>().WithMessage("misnamed.json: 'name' is 'other' but the file is named 'misnamed'");
    }
}
