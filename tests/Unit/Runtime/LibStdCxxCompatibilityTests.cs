using Grokking.Runtime;

namespace Grokking.Tests.Unit.Runtime;

public class LibStdCxxCompatibilityTests
{
    // What libLibTorchSharp.so 0.107 asks of libstdc++.so.6 (readelf -V), abridged to the versions that matter.
    private static readonly string[] TorchSharpNeeds = ["GLIBCXX_3.4", "GLIBCXX_3.4.18", "GLIBCXX_3.4.26", "GLIBCXX_3.4.32", "CXXABI_1.3.5"];

    private static string[] LibStdCxxUpTo(int lastPatch) =>
        [.. Enumerable.Range(0, lastPatch + 1).Select(p => p == 0 ? "GLIBCXX_3.4" : $"GLIBCXX_3.4.{p}"), "CXXABI_1.3", "CXXABI_1.3.5"];

    [Fact]
    public void Gcc12_libstdcxx_needs_the_shim_for_exactly_3_4_32()
    {
        var decision = LibStdCxxCompatibility.Decide(TorchSharpNeeds, LibStdCxxUpTo(30));

        decision.Action.Should().Be(CompatibilityAction.Shim);
        decision.MissingVersions.Should().Equal("GLIBCXX_3.4.32");
    }

    [Theory]
    [InlineData(32)] // GCC 13
    [InlineData(33)] // GCC 14
    public void New_libstdcxx_needs_nothing(int lastPatch)
    {
        var decision = LibStdCxxCompatibility.Decide(TorchSharpNeeds, LibStdCxxUpTo(lastPatch));

        decision.Action.Should().Be(CompatibilityAction.None);
        decision.MissingVersions.Should().BeEmpty();
    }

    [Fact]
    public void A_much_older_libstdcxx_is_unsupported_and_says_what_is_missing()
    {
        var decision = LibStdCxxCompatibility.Decide(TorchSharpNeeds, LibStdCxxUpTo(21)); // GCC 7

        decision.Action.Should().Be(CompatibilityAction.Unsupported);
        decision.MissingVersions.Should().Equal("GLIBCXX_3.4.26", "GLIBCXX_3.4.32");
        decision.Describe().Should().Contain("GLIBCXX_3.4.26");
    }
}
