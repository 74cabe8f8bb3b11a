namespace Grokking.Tests.Unit;

/// <summary>
/// Tests that set process environment variables, and tests that load configuration with environment variables
/// (the CLI in-process), run in this collection: alone, never beside each other or any other test.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessEnvironmentCollection
{
    public const string Name = "process environment";
}
