using Grokking.Runtime;

namespace Grokking.Tests.Unit.Runtime;

public sealed class FileDigestTests : IDisposable
{
    private readonly string file = Path.Combine(Path.GetTempPath(), $"digest-{Guid.NewGuid():N}.txt");

    public void Dispose() => File.Delete(file);

    [Fact]
    public void Whole_file_digest_is_the_known_sha256_of_abc()
    {
        File.WriteAllText(file, "abc");
        FileDigest.Of(file).Should().Be("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }

    [Fact]
    public void Prefix_digest_equals_the_digest_of_the_prefix_and_is_null_past_the_end()
    {
        File.WriteAllText(file, "abcdef");
        FileDigest.OfPrefix(file, 3).Should().Be(FileDigest.Of("abc"u8.ToArray()));
        FileDigest.OfPrefix(file, 6).Should().Be(FileDigest.Of(file));
        FileDigest.OfPrefix(file, 7).Should().BeNull();
    }
}
