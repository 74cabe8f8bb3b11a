using Xunit.Abstractions;
using Xunit.Sdk;

namespace Grokking.Tests.Claims;

/// <summary>
/// Passes a test run's messages on, except that a test failed by a <see cref="ClaimSkipException"/> is reported as
/// skipped with the exception's message as the reason; <see cref="Skipped"/> counts them so that the run summary can
/// be corrected (xunit counted them as failures).
/// </summary>
internal sealed class SkippingMessageBus(IMessageBus inner) : IMessageBus
{
    private static readonly string SkipType = typeof(ClaimSkipException).FullName!;

    public int Skipped { get; private set; }

    public bool QueueMessage(IMessageSinkMessage message)
    {
        if (message is ITestFailed failed && failed.ExceptionTypes.FirstOrDefault() == SkipType)
        {
            Skipped++;
            return inner.QueueMessage(new TestSkipped(failed.Test, failed.Messages.FirstOrDefault() ?? "skipped"));
        }

        return inner.QueueMessage(message);
    }

    /// <remarks>The inner bus belongs to the runner that made it; this wrapper owns nothing.</remarks>
    public void Dispose()
    {
    }
}
