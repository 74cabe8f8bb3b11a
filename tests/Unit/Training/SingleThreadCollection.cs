namespace Grokking.Tests.Unit.Training;

/// <summary>Tests that set libtorch's process-wide intra-op thread count run in this collection: alone, beside no other test.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SingleThreadCollection
{
    public const string Name = "single libtorch thread";
}
