namespace Grokking.Tests.Claims;

/// <summary>
/// Thrown by a claim test that cannot run here (its data are missing): <see cref="ClaimTestCase"/> reports the test
/// SKIPPED with this message as the reason instead of failed. xunit 2 has no skip at run time; this is that skip.
/// </summary>
public sealed class ClaimSkipException(string reason) : Exception(reason);
