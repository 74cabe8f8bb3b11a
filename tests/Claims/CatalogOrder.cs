using Grokking.Claims;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace Grokking.Tests.Claims;

/// <summary>
/// Runs the claim tests in catalog order (claims sharing a run come together) and, since the orderer is the one
/// place that sees which tests a filtered 'dotnet test' selected, starts training exactly those claims' runs on the
/// suite's background lanes.
/// </summary>
public sealed class CatalogOrder : ITestCaseOrderer
{
    public const string TypeName = "Grokking.Tests.Claims.CatalogOrder";
    public const string AssemblyName = "Grokking.Tests.Claims";

    public IEnumerable<TTestCase> OrderTestCases<TTestCase>(IEnumerable<TTestCase> testCases)
        where TTestCase : ITestCase
    {
        var catalog = ClaimCatalog.Load(Path.Combine(RepositoryLocator.Find(), "claims"));
        var position = catalog.Claims.Select((c, i) => (c.Id, i)).ToDictionary(x => x.Id, x => x.i);
        var ordered = testCases
            .Select(t => (Test: t, Id: t.Traits.TryGetValue("Claim", out var ids) ? ids.FirstOrDefault() : null))
            .OrderBy(x => x.Id is not null && position.TryGetValue(x.Id, out int i) ? i : int.MaxValue)
            .ToList();
        ClaimSuiteFixture.Select([.. ordered.Select(x => x.Id).OfType<string>()]);
        return ordered.Select(x => x.Test);
    }
}
