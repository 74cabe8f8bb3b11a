using Grokking.Runtime;

namespace Grokking.Tests.Unit.Runtime;

public class ElfSymbolVersionsTests
{
    [Fact]
    public void Reads_the_versions_the_host_libstdcxx_defines()
    {
        string? libstdcxx = new[] { "/usr/lib/x86_64-linux-gnu/libstdc++.so.6", "/lib/x86_64-linux-gnu/libstdc++.so.6", "/usr/lib64/libstdc++.so.6" }
            .FirstOrDefault(File.Exists);
        libstdcxx.Should().NotBeNull("the engine targets glibc Linux x64, where the compatibility step reads this library");

        var defined = ElfSymbolVersions.ReadDefinitions(libstdcxx!);

        defined.Should().Contain("GLIBCXX_3.4").And.Contain("CXXABI_1.3");
    }

    [Fact]
    public void Marking_a_need_weak_flips_only_that_entry_and_is_idempotent()
    {
        string native = Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native", "libLibTorchSharp.so");
        File.Exists(native).Should().BeTrue($"both TorchSharp backends ship {native} on Linux x64");

        string copy = Path.Combine(Path.GetTempPath(), $"elf-{Guid.NewGuid():N}.so");
        File.Copy(native, copy);
        try
        {
            var before = ElfSymbolVersions.ReadNeeds(copy);
            before.Should().Contain(n => n.Version == "GLIBCXX_3.4.32");
            bool wasWeak = before.Single(n => n.Version == "GLIBCXX_3.4.32").IsWeak;

            int changed = ElfSymbolVersions.MarkNeedsWeak(copy, ["GLIBCXX_3.4.32"]);
            var after = ElfSymbolVersions.ReadNeeds(copy);

            changed.Should().Be(wasWeak ? 0 : 1);
            after.Single(n => n.Version == "GLIBCXX_3.4.32").IsWeak.Should().BeTrue();
            after.Where(n => n.Version != "GLIBCXX_3.4.32").Select(n => (n.Version, n.IsWeak))
                .Should().Equal(before.Where(n => n.Version != "GLIBCXX_3.4.32").Select(n => (n.Version, n.IsWeak)));
            ElfSymbolVersions.MarkNeedsWeak(copy, ["GLIBCXX_3.4.32"]).Should().Be(0);
        }
        finally
        {
            File.Delete(copy);
        }
    }

    [Fact]
    public void Rejects_a_file_that_is_not_elf()
    {
        var act = () => ElfSymbolVersions.ReadNeeds("not an elf file"u8);
        act.Should().Throw<InvalidDataException>();
    }
}
