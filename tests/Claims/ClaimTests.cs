namespace Grokking.Tests.Claims;

/// <summary>One line per claim: verify it at the configured profile and compare with its accepted baseline.</summary>
[Collection(ClaimsCollection.Name)]
public sealed class ClaimTests(ClaimSuiteFixture fixture)
{
    [Fact, Trait("Claim", "MC-1")] public void MC_1() => fixture.Check("MC-1");
    [Fact, Trait("Claim", "MC-2")] public void MC_2() => fixture.Check("MC-2");
}
