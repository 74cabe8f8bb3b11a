using System.Reflection;
using Grokking.Tests.Claims;
using Xunit.Abstractions;
using Xunit.Sdk;

[assembly: TestFramework(ClaimTestFramework.TypeName, ClaimTestFramework.AssemblyName)]

namespace Grokking.Tests.Claims;

/// <summary>
/// xunit's own framework, except that the claims collection's fixture is built knowing which claims this run
/// verifies. A filtered 'dotnet test' hands the executor only the selected test cases, and the collection runner
/// is the one place that holds exactly the claims collection's cases and creates its fixture: there the selected
/// ids go into <see cref="ClaimSuiteFixture"/>'s constructor, so the suite is built with its selection and starts
/// training the selection's runs before the first test, with no static state and no side effect in an orderer.
/// The framework, executor and assembly runner below only make xunit use that collection runner.
/// </summary>
public sealed class ClaimTestFramework(IMessageSink messageSink) : XunitTestFramework(messageSink)
{
    public const string TypeName = "Grokking.Tests.Claims.ClaimTestFramework";
    public const string AssemblyName = "Grokking.Tests.Claims";

    /// <summary>The claims a run's test cases verify, in catalog order: what the suite is built to select.</summary>
    public static IReadOnlyList<string> SelectionOf(IEnumerable<ITestCase> testCases) =>
        [.. testCases.OfType<ClaimTestCase>().OrderBy(t => t.Position).Select(t => t.ClaimId).Distinct()];

    protected override ITestFrameworkExecutor CreateExecutor(AssemblyName assemblyName) =>
        new Executor(assemblyName, SourceInformationProvider, DiagnosticMessageSink);

    private sealed class Executor(AssemblyName assemblyName, ISourceInformationProvider sourceInformationProvider, IMessageSink diagnosticMessageSink)
        : XunitTestFrameworkExecutor(assemblyName, sourceInformationProvider, diagnosticMessageSink)
    {
        // async void as in XunitTestFrameworkExecutor: the runner reports completion through the message sink.
        protected override async void RunTestCases(
            IEnumerable<IXunitTestCase> testCases, IMessageSink executionMessageSink, ITestFrameworkExecutionOptions executionOptions)
        {
            using var runner = new AssemblyRunner(TestAssembly, testCases, DiagnosticMessageSink, executionMessageSink, executionOptions);
            await runner.RunAsync();
        }
    }

    private sealed class AssemblyRunner(
        ITestAssembly testAssembly,
        IEnumerable<IXunitTestCase> testCases,
        IMessageSink diagnosticMessageSink,
        IMessageSink executionMessageSink,
        ITestFrameworkExecutionOptions executionOptions)
        : XunitTestAssemblyRunner(testAssembly, testCases, diagnosticMessageSink, executionMessageSink, executionOptions)
    {
        protected override Task<RunSummary> RunTestCollectionAsync(
            IMessageBus messageBus, ITestCollection testCollection, IEnumerable<IXunitTestCase> testCases, CancellationTokenSource cancellation)
        {
            var aggregator = new ExceptionAggregator(Aggregator);
            var sink = DiagnosticMessageSink;
            var runner = new CollectionRunner(testCollection, testCases, sink, messageBus, TestCaseOrderer, aggregator, cancellation);
            return runner.RunAsync();
        }
    }

    private sealed class CollectionRunner(
        ITestCollection testCollection,
        IEnumerable<IXunitTestCase> testCases,
        IMessageSink diagnosticMessageSink,
        IMessageBus messageBus,
        ITestCaseOrderer testCaseOrderer,
        ExceptionAggregator aggregator,
        CancellationTokenSource cancellation)
        : XunitTestCollectionRunner(testCollection, testCases, diagnosticMessageSink, messageBus, testCaseOrderer, aggregator, cancellation)
    {
        protected override void CreateCollectionFixture(Type fixtureType)
        {
            if (fixtureType != typeof(ClaimSuiteFixture))
            {
                base.CreateCollectionFixture(fixtureType);
                return;
            }

            // As the base does: a fixture that fails to build fails the collection's tests with its exception.
            var selection = SelectionOf(TestCases);
            Aggregator.Run(() => CollectionFixtureMappings[fixtureType] = new ClaimSuiteFixture(selection));
        }
    }
}
