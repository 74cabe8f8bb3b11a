using System.Text.RegularExpressions;
using Grokking.Claims;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace Grokking.Tests.Claims;

/// <summary>
/// Marks the method that verifies one claim: it becomes one test per claim file (claims/XX-N.json), so a new claim
/// needs its file and its baselines, no test code. The method takes the claim id.
/// </summary>
[XunitTestCaseDiscoverer(ClaimFactDiscoverer.TypeName, ClaimFactDiscoverer.AssemblyName)]
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class ClaimFactAttribute : FactAttribute;

/// <summary>
/// Yields one <see cref="ClaimTestCase"/> per claim of the catalog, in catalog order. Theory rows cannot carry a trait of
/// their own in xunit 2, so the claims are test cases of a discoverer; each carries the trait Claim=ID, which keeps
/// 'dotnet test --filter Claim=MC-1' working. A catalog that does not load, or a method that does not take the id, is
/// one failing test rather than no tests.
/// </summary>
public sealed partial class ClaimFactDiscoverer(IMessageSink diagnosticMessageSink) : IXunitTestCaseDiscoverer
{
    public const string TypeName = "Grokking.Tests.Claims.ClaimFactDiscoverer";
    public const string AssemblyName = "Grokking.Tests.Claims";

    /// <summary>The claims directory of this checkout: the one the suite reads.</summary>
    public static string ClaimsDirectory => Path.Combine(RepositoryLocator.Find(), "claims");

    /// <summary>A claim file's name: the paper prefix, a dash, a number (catalog.json and experiments/ are not claims).</summary>
    [GeneratedRegex(@"^[A-Z]{2}-[0-9]+$")]
    public static partial Regex ClaimFileName();

    public IEnumerable<IXunitTestCase> Discover(ITestFrameworkDiscoveryOptions discoveryOptions, ITestMethod testMethod, IAttributeInfo factAttribute)
    {
        var display = discoveryOptions.MethodDisplayOrDefault();
        var displayOptions = discoveryOptions.MethodDisplayOptionsOrDefault();
        IXunitTestCase Error(string message) => new ExecutionErrorTestCase(diagnosticMessageSink, display, displayOptions, testMethod, message);

        var parameters = testMethod.Method.GetParameters().ToList();
        if (parameters.Count != 1 || parameters[0].ParameterType.Name != typeof(string).FullName)
        {
            return [Error($"[ClaimFact] method {testMethod.Method.Name} must take one parameter, the claim id (string)")];
        }

        ClaimCatalog catalog;
        try
        {
            catalog = ClaimCatalog.Load(ClaimsDirectory);
        }
        catch (Exception e)
        {
            // Whatever keeps the catalog from loading (a bad claim file, no checkout) must fail the run, not empty it.
            return [Error($"claims/ does not load, so no claim can be tested: {e.Message}")];
        }

        return catalog.Claims
            .Select((claim, position) => new ClaimTestCase(diagnosticMessageSink, display, displayOptions, testMethod, claim.Id, position))
            .ToList();
    }
}
