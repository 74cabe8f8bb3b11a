using Grokking.Claims;

namespace Grokking.Tests.Claims;

public sealed class EveryClaimHasATest
{
    [Fact]
    public void Each_claim_file_has_exactly_one_test_tagged_with_its_id()
    {
        var catalog = ClaimCatalog.Load(Path.Combine(RepositoryLocator.Find(), "claims"));
        var ids = typeof(EveryClaimHasATest).Assembly.GetTypes()
            .SelectMany(t => t.GetMethods())
            .SelectMany(m => m.CustomAttributes.Where(a => a.AttributeType == typeof(TraitAttribute)))
            .Where(a => (string?)a.ConstructorArguments[0].Value == "Claim")
            .Select(a => (string)a.ConstructorArguments[1].Value!)
            .ToList();

        ids.Should().NotBeEmpty();
        ids.Should().OnlyHaveUniqueItems();
        ids.Should().BeEquivalentTo(catalog.Claims.Select(c => c.Id), "every claim in claims/ needs one test in tests/Claims");
    }
}
