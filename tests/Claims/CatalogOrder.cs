using Xunit.Abstractions;
using Xunit.Sdk;

namespace Grokking.Tests.Claims;

/// <summary>
/// Runs the claim tests in catalog order, so claims that share a run come together and the first claims' runs are the
/// first the background lanes train. It only orders: what the run selected reaches the suite through
/// <see cref="ClaimTestFramework"/>.
/// </summary>
public sealed class CatalogOrder : ITestCaseOrderer
{
    public const string TypeName = "Grokking.Tests.Claims.CatalogOrder";
    public const string AssemblyName = "Grokking.Tests.Claims";

    public IEnumerable<TTestCase> OrderTestCases<TTestCase>(IEnumerable<TTestCase> testCases)
        where TTestCase : ITestCase =>
        testCases.OrderBy(t => t is ClaimTestCase claim ? claim.Position : int.MaxValue);
}
