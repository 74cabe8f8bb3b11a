using Xunit.Abstractions;
using Xunit.Sdk;

namespace Grokking.Tests.Claims;

/// <summary>
/// The test of one claim: the [ClaimFact] method called with the claim id, tagged Claim=ID and named after it. The
/// id travels as the method's argument and the catalog position as a field, both serialized, because the runner
/// (dotnet test) hands test cases from discovery to execution as strings. A claim whose data are missing throws
/// <see cref="ClaimSkipException"/>, and the test is reported SKIPPED with its reason (see <see cref="RunAsync"/>).
/// </summary>
public sealed class ClaimTestCase : XunitTestCase
{
    public const string Trait = "Claim";

    [Obsolete("Called by the de-serializer; use the constructor that takes the claim id")]
    public ClaimTestCase()
    {
    }

    public ClaimTestCase(
        IMessageSink diagnosticMessageSink,
        TestMethodDisplay display,
        TestMethodDisplayOptions displayOptions,
        ITestMethod testMethod,
        string claimId,
        int position)
        : base(diagnosticMessageSink, display, displayOptions, testMethod, [claimId])
    {
        Position = position;
    }

    /// <summary>The claim this test verifies.</summary>
    public string ClaimId => (string)TestMethodArguments[0];

    /// <summary>The claim's place in the catalog: tests run in this order (see <see cref="CatalogOrder"/>).</summary>
    public int Position { get; private set; }

    /// <summary>Runs the test, reporting a <see cref="ClaimSkipException"/> as a skip (with its reason), not a failure.</summary>
    public override async Task<RunSummary> RunAsync(
        IMessageSink diagnosticMessageSink,
        IMessageBus messageBus,
        object[] constructorArguments,
        ExceptionAggregator aggregator,
        CancellationTokenSource cancellationTokenSource)
    {
        using var skipping = new SkippingMessageBus(messageBus);
        var summary = await base.RunAsync(diagnosticMessageSink, skipping, constructorArguments, aggregator, cancellationTokenSource);
        summary.Failed -= skipping.Skipped;
        summary.Skipped += skipping.Skipped;
        return summary;
    }

    protected override void Initialize()
    {
        base.Initialize();
        Traits[Trait] = [ClaimId];
        DisplayName = $"{BaseDisplayName}({ClaimId})";
    }

    public override void Serialize(IXunitSerializationInfo data)
    {
        base.Serialize(data);
        data.AddValue(nameof(Position), Position);
    }

    public override void Deserialize(IXunitSerializationInfo data)
    {
        base.Deserialize(data);
        Position = data.GetValue<int>(nameof(Position));
    }
}
