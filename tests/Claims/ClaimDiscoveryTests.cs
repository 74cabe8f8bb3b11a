using Grokking.Claims;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace Grokking.Tests.Claims;

/// <summary>The claim tests come from the claim files: one per file, in catalog order, each tagged with its id.</summary>
public sealed class ClaimDiscoveryTests
{
    [Fact]
    public void The_discoverer_yields_one_test_per_claim_file_in_catalog_order_each_tagged_with_its_id()
    {
        var files = Directory.GetFiles(ClaimFactDiscoverer.ClaimsDirectory, "*.json")
            .Select(f => Path.GetFileNameWithoutExtension(f))
            .Where(name => ClaimFactDiscoverer.ClaimFileName().IsMatch(name))
            .ToList();
        var catalog = ClaimCatalog.Load(ClaimFactDiscoverer.ClaimsDirectory);

        // As the runner sees them: discovered, then handed to execution as strings.
        var cases = Discover().Select(t => SerializationHelper.Deserialize<IXunitTestCase>(SerializationHelper.Serialize(t))).ToList();

        files.Should().NotBeEmpty();
        cases.Should().AllBeOfType<ClaimTestCase>();
        var claims = cases.Cast<ClaimTestCase>().ToList();
        claims.Select(c => c.ClaimId).Should().BeEquivalentTo(files, "every claims/XX-N.json is one test, and nothing else is");
        claims.Select(c => c.ClaimId).Should().Equal(catalog.Claims.Select(c => c.Id), "the tests keep catalog order");
        claims.Select(c => c.Position).Should().Equal(Enumerable.Range(0, claims.Count));
        claims.Select(c => c.UniqueID).Should().OnlyHaveUniqueItems();
        claims.Should().AllSatisfy(c =>
        {
            c.Traits.Should().ContainKey(ClaimTestCase.Trait).WhoseValue.Should().Equal(c.ClaimId);
            c.DisplayName.Should().Contain(c.ClaimId);
            c.TestMethodArguments.Should().Equal(c.ClaimId);
        });
    }

    [Fact]
    public void The_suite_is_built_with_the_claims_a_run_selected_in_catalog_order()
    {
        var cases = Discover().Cast<ClaimTestCase>().ToList();
        var picked = new[] { cases[5], cases[0], cases[2] };

        ClaimTestFramework.SelectionOf(picked).Should().Equal(cases[0].ClaimId, cases[2].ClaimId, cases[5].ClaimId);
    }

    [Fact]
    public void The_claim_method_is_discovered_by_the_claim_discoverer_and_the_assembly_runs_the_claim_framework()
    {
        var discoverer = typeof(ClaimFactAttribute).GetCustomAttributes(typeof(XunitTestCaseDiscovererAttribute), false)
            .Cast<XunitTestCaseDiscovererAttribute>().Single();
        var framework = typeof(ClaimTests).Assembly.GetCustomAttributes(typeof(TestFrameworkAttribute), false)
            .Cast<TestFrameworkAttribute>().Single();

        Type.GetType($"{ClaimFactDiscoverer.TypeName}, {ClaimFactDiscoverer.AssemblyName}").Should().Be<ClaimFactDiscoverer>();
        Type.GetType($"{ClaimTestFramework.TypeName}, {ClaimTestFramework.AssemblyName}").Should().Be<ClaimTestFramework>();
        discoverer.Should().NotBeNull();
        framework.Should().NotBeNull();
    }

    /// <summary>The test cases the discoverer yields for <see cref="ClaimTests.Verify"/>.</summary>
    private static List<IXunitTestCase> Discover()
    {
        var assembly = new TestAssembly(Reflector.Wrap(typeof(ClaimTests).Assembly));
        var testClass = new TestClass(new TestCollection(assembly, null, ClaimsCollection.Name), Reflector.Wrap(typeof(ClaimTests)));
        var method = new TestMethod(testClass, Reflector.Wrap(typeof(ClaimTests).GetMethod(nameof(ClaimTests.Verify))!));
        var attribute = method.Method.GetCustomAttributes(typeof(FactAttribute)).Single();
        return [.. new ClaimFactDiscoverer(new NullMessageSink()).Discover(new NoOptions(), method, attribute)];
    }

    private sealed class NoOptions : ITestFrameworkDiscoveryOptions
    {
        public TValue GetValue<TValue>(string name) => default!;

        public void SetValue<TValue>(string name, TValue value)
        {
        }
    }
}
