using Grokking.Configuration;

namespace Grokking.Tests.Unit.Configuration;

public class ProfileNamesTests
{
    [Fact]
    public void Each_profile_has_one_lower_case_name_and_reads_back_from_it()
    {
        Enum.GetValues<Profile>().Select(p => p.Name).Should().Equal("smoke", "ci", "paper");
        ProfileNames.All.Should().Equal("smoke", "ci", "paper");
        foreach (var profile in Enum.GetValues<Profile>())
        {
            ProfileNames.TryParse(profile.Name.ToUpperInvariant(), out var read).Should().BeTrue();
            read.Should().Be(profile);
        }

        ProfileNames.TryParse("1", out _).Should().BeFalse("only the names are profiles");
        ProfileNames.TryParse(null, out _).Should().BeFalse();
    }
}
