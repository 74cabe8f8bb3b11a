using Grokking.Claims.Contracts;
using Grokking.Configuration;
using Grokking.Training;

namespace Grokking.Claims;

/// <summary>An experiment resolved at one profile: its options and the members it trains (what claims are checked against at load).</summary>
public sealed record ExperimentSetup(ExperimentDefinition Experiment, Profile Profile, GrokkingOptions Options, IReadOnlyList<MemberSpec> Members)
{
    public static IReadOnlyList<ExperimentSetup> OfEveryProfile(ExperimentDefinition experiment) =>
        Enum.GetValues<Profile>().Select(profile =>
        {
            var options = ExperimentResolver.Resolve(experiment, profile);
            return new ExperimentSetup(experiment, profile, options, PopulationSetup.Members(options));
        }).ToList();
}
