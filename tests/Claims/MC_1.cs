namespace Grokking.Tests.Claims;

[Collection(ClaimsCollection.Name)]
public sealed class MC_1(ClaimSuiteFixture fixture)
{
    [Fact]
    [Trait("Claim", "MC-1")]
    public void MC_1_memorization_then_generalization() => fixture.Check("MC-1");
}
