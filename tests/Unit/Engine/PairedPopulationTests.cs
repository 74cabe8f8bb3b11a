using Grokking.Configuration;
using Grokking.Data;
using Grokking.Training;

namespace Grokking.Tests.Unit.Engine;

/// <summary>Population:Paired: weight decays and init scales as pairs (Omnigrok's IMDb arms), not their product.</summary>
public class PairedPopulationTests
{
    [Fact]
    public void Paired_lists_give_one_member_per_pair_and_seed_in_order()
    {
        var o = EngineFixtures.Small("Population:Seeds=0,1", "Population:WeightDecays=1,0", "Population:InitScales=6,1", "Population:Paired=true");

        var members = PopulationSetup.Members(o);

        members.Select(m => (m.Seed, m.WeightDecay, m.InitScale)).Should().Equal((0L, 1.0, 6.0), (0L, 0.0, 1.0), (1L, 1.0, 6.0), (1L, 0.0, 1.0));
        ResourceEstimate.MemberCount(o.Population).Should().Be(members.Count);
    }

    [Fact]
    public void Unpaired_lists_keep_their_product()
    {
        var o = EngineFixtures.Small("Population:Seeds=0", "Population:WeightDecays=1,0", "Population:InitScales=6,1");

        PopulationSetup.Members(o).Select(m => (m.WeightDecay, m.InitScale)).Should().Equal((1.0, 6.0), (1.0, 1.0), (0.0, 6.0), (0.0, 1.0));
    }

    [Fact]
    public void Pairs_of_unequal_length_are_refused_naming_the_key()
    {
        var act = () => EngineFixtures.Small("Population:WeightDecays=1,0", "Population:InitScales=6", "Population:Paired=true");

        act.Should().Throw<OptionsException>().Which.Message.Should().Contain("Paired");
    }
}
