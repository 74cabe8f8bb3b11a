namespace Grokking.Tests.Claims;

/// <summary>One line per claim: verify it at the configured profile and compare with its accepted baseline.</summary>
[Collection(ClaimsCollection.Name)]
[TestCaseOrderer(CatalogOrder.TypeName, CatalogOrder.AssemblyName)]
public sealed class ClaimTests(ClaimSuiteFixture fixture)
{
    [Fact, Trait("Claim", "MC-1")] public void MC_1() => fixture.Check("MC-1");
    [Fact, Trait("Claim", "MC-2")] public void MC_2() => fixture.Check("MC-2");
    [Fact, Trait("Claim", "MC-3")] public void MC_3() => fixture.Check("MC-3");
    [Fact, Trait("Claim", "MC-4")] public void MC_4() => fixture.Check("MC-4");
    [Fact, Trait("Claim", "MC-5")] public void MC_5() => fixture.Check("MC-5");
    [Fact, Trait("Claim", "MC-6")] public void MC_6() => fixture.Check("MC-6");
    [Fact, Trait("Claim", "MC-7")] public void MC_7() => fixture.Check("MC-7");
    [Fact, Trait("Claim", "MC-8")] public void MC_8() => fixture.Check("MC-8");
    [Fact, Trait("Claim", "PB-1")] public void PB_1() => fixture.Check("PB-1");
    [Fact, Trait("Claim", "PB-2")] public void PB_2() => fixture.Check("PB-2");
    [Fact, Trait("Claim", "PB-3")] public void PB_3() => fixture.Check("PB-3");
    [Fact, Trait("Claim", "PB-4")] public void PB_4() => fixture.Check("PB-4");
    [Fact, Trait("Claim", "PB-5")] public void PB_5() => fixture.Check("PB-5");
    [Fact, Trait("Claim", "OG-1")] public void OG_1() => fixture.Check("OG-1");
    [Fact, Trait("Claim", "OG-2")] public void OG_2() => fixture.Check("OG-2");
    [Fact, Trait("Claim", "OG-3")] public void OG_3() => fixture.Check("OG-3");
    [Fact, Trait("Claim", "OG-4")] public void OG_4() => fixture.Check("OG-4");
    [Fact, Trait("Claim", "OG-5")] public void OG_5() => fixture.Check("OG-5");
    [Fact, Trait("Claim", "OG-6")] public void OG_6() => fixture.Check("OG-6");
    [Fact, Trait("Claim", "OG-7")] public void OG_7() => fixture.Check("OG-7");
    [Fact, Trait("Claim", "PG-1")] public void PG_1() => fixture.Check("PG-1");
    [Fact, Trait("Claim", "PG-2")] public void PG_2() => fixture.Check("PG-2");
    [Fact, Trait("Claim", "PG-3")] public void PG_3() => fixture.Check("PG-3");
    [Fact, Trait("Claim", "PG-4")] public void PG_4() => fixture.Check("PG-4");
    [Fact, Trait("Claim", "PG-5")] public void PG_5() => fixture.Check("PG-5");
    [Fact, Trait("Claim", "PG-6")] public void PG_6() => fixture.Check("PG-6");
    [Fact, Trait("Claim", "PG-7")] public void PG_7() => fixture.Check("PG-7");
    [Fact, Trait("Claim", "GV-1")] public void GV_1() => fixture.Check("GV-1");
    [Fact, Trait("Claim", "GV-2")] public void GV_2() => fixture.Check("GV-2");
    [Fact, Trait("Claim", "GV-3")] public void GV_3() => fixture.Check("GV-3");
}
