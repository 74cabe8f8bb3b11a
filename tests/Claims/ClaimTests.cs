namespace Grokking.Tests.Claims;

/// <summary>
/// One test per claim file (claims/XX-N.json, see <see cref="ClaimFactDiscoverer"/>): verify the claim at the configured
/// profile and compare it with its accepted baseline. 'dotnet test --filter Claim=MC-1' runs one.
/// </summary>
[Collection(ClaimsCollection.Name)]
[TestCaseOrderer(CatalogOrder.TypeName, CatalogOrder.AssemblyName)]
public sealed class ClaimTests(ClaimSuiteFixture fixture)
{
    [ClaimFact]
    public void Verify(string id) => fixture.Check(id);
}
