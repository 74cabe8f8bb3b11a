using System.Text.Json;
using Grokking.Configuration;
using Grokking.Data;
using Grokking.Training;

namespace Grokking.Tests.Unit.Engine;

/// <summary>
/// Population:Messiness (Omnigrok's representation messiness m, Eq. 4 and 7): one member per value, crossed with the other
/// axes; out of the run key, the members file and the member count when unset; values outside [0, 1] and data kinds that
/// build no representation from m are configuration errors.
/// </summary>
public sealed class MessinessAxisTests
{
    [Fact]
    public void Members_cross_messiness_with_seeds_and_init_scales_seed_first_then_m_then_alpha()
    {
        var o = EngineFixtures.Small("Population:Seeds=0,1", "Population:Messiness=0,0.5,1", "Population:InitScales=1,4");

        var members = PopulationSetup.Members(o);

        members.Select(m => (m.Seed, m.Messiness, m.InitScale)).Should().Equal(
            (0L, 0.0, 1.0), (0L, 0.0, 4.0), (0L, 0.5, 1.0), (0L, 0.5, 4.0), (0L, 1.0, 1.0), (0L, 1.0, 4.0),
            (1L, 0.0, 1.0), (1L, 0.0, 4.0), (1L, 0.5, 1.0), (1L, 0.5, 4.0), (1L, 1.0, 1.0), (1L, 1.0, 4.0));
        members.Select(m => m.Index).Should().Equal(Enumerable.Range(0, 12));
        members[2].Label.Should().EndWith(", m 0.5");
        MemberSpec.SweptMessiness(members).Should().Equal(0, 0, 0.5, 0.5, 1, 1, 0, 0, 0.5, 0.5, 1, 1);
        ResourceEstimate.MemberCount(o.Population).Should().Be(12);
    }

    [Fact]
    public void Unset_messiness_stays_out_of_the_options_the_members_file_and_the_count()
    {
        var plain = EngineFixtures.Small("Population:Seeds=0,1,2");

        var members = PopulationSetup.Members(plain);

        MemberSpec.SweptMessiness(members).Should().BeNull();
        members[0].Label.Should().NotContain(", m ");
        JsonSerializer.Serialize(plain.Population, RunDirectory.Json).Should().NotContain("Messiness");
        JsonSerializer.Serialize(members[0], RunDirectory.Json).Should().NotContain("Messiness");
        ResourceEstimate.MemberCount(plain.Population).Should().Be(3);
    }

    [Fact]
    public void A_member_keeps_its_messiness_through_the_members_file_and_an_older_file_reads_as_unset()
    {
        var member = new MemberSpec(3, 2, 1e-3, 0, 4, double.NaN, 0, 0.25);

        string json = JsonSerializer.Serialize(member, RunDirectory.Json);
        var back = JsonSerializer.Deserialize<MemberSpec>(json, RunDirectory.Json)!;
        var node = System.Text.Json.Nodes.JsonNode.Parse(json)!.AsObject();
        node.Remove("Messiness").Should().BeTrue();
        var older = JsonSerializer.Deserialize<MemberSpec>(node.ToJsonString(), RunDirectory.Json)!;

        json.Should().Contain("\"Messiness\": 0.25");
        back.Messiness.Should().Be(0.25);
        older.Messiness.Should().BeNull();
        older.Should().Be(member with { Messiness = null });
    }

    [Theory]
    [InlineData("-0.1", "*Population:Messiness*[0, 1]*")]
    [InlineData("1.5", "*Population:Messiness*[0, 1]*")]
    [InlineData("NaN", "*Population:Messiness*not a finite number*")]
    public void A_value_outside_zero_to_one_is_a_configuration_error_naming_the_key(string value, string message)
    {
        var load = () => EngineFixtures.Small($"Population:Messiness=0,{value}");

        load.Should().Throw<OptionsException>().WithMessage(message);
    }

    [Fact]
    public void A_data_kind_that_builds_no_representation_from_m_refuses_the_sweep_before_training()
    {
        var modular = EngineFixtures.Small("Population:Messiness=0,1");

        var validate = () => PopulationSetup.Validate(modular);

        PopulationDataFactory.InterpolatesRepresentations(DatasetKind.Modular).Should().BeFalse();
        validate.Should().Throw<OptionsException>().WithMessage("*Population:Messiness*modular has no representation to interpolate*");
    }
}
