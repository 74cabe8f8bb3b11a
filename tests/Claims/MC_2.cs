namespace Grokking.Tests.Claims;

[Collection(ClaimsCollection.Name)]
public sealed class MC_2(ClaimSuiteFixture fixture)
{
    [Fact]
    [Trait("Claim", "MC-2")]
    public void MC_2_no_weight_decay_no_grokking() => fixture.Check("MC-2");
}
