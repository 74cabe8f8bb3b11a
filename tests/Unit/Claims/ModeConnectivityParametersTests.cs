using Grokking.Claims;
using Grokking.Claims.Contracts;
using Grokking.Configuration;

namespace Grokking.Tests.Unit.Claims;

/// <summary>
/// The parameters records of MC's and GV's analyses as the loader binds them: the claim-file names (groups flattened),
/// the ranges that reject nonsense, whole-number counts, and the robust point 2 that must be the run's snapshot level.
/// </summary>
public class ModeConnectivityParametersTests
{
    private static ClaimDefinition Claim(string analysis, (string Name, double Value)[] parameters, params PaperValue[] paper) => new()
    {
        Id = "MC-0",
        File = "MC-0.json",
        Analysis = analysis,
        RuleParameters = parameters.Select(p => new RuleParameter(p.Name, p.Value, "r")).ToList(),
        Paper = [.. paper],
    };

    private static (string, double)[] Gv3(double share = 0.02) =>
        [("robustValAccuracy", 0.99), ("maxTrainError", 0.02), ("maxErrorBarrier", 0.02), ("lossBarrierShareOfChance", share)];

    [Fact]
    public void MC1_binds_its_limits_and_the_papers_points()
    {
        var claim = Claim(
            "memorization-then-generalization",
            [("maxValAccuracyAtPoint1", 0.1), ("minDelayRatio", 2), ("robustValAccuracy", 0.99)],
            new PaperValue("point 1", 585),
            new PaperValue("point 2", 2402));

        var limits = claim.ParametersAs<MemorizationThenGeneralization.Limits>();

        limits.Should().Be(new MemorizationThenGeneralization.Limits(0.1, 2, 0.99, 585, 2402));
    }

    [Fact]
    public void A_negative_accuracy_limit_is_rejected_with_its_range()
    {
        var claim = Claim(
            "memorization-then-generalization",
            [("maxValAccuracyAtPoint1", -0.1), ("minDelayRatio", 2), ("robustValAccuracy", 0.99)],
            new PaperValue("point 1", 585),
            new PaperValue("point 2", 2402));

        var act = () => claim.ParametersAs<MemorizationThenGeneralization.Limits>();

        act.Should().Throw<ClaimDefinitionException>().WithMessage("*'ruleParameters.maxValAccuracyAtPoint1' is -0.1, outside its range [0, 1]*");
    }

    [Fact]
    public void MC4_counts_mistakes_in_whole_pairs()
    {
        var claim = Claim(
            "chain-zero-train-error",
            [("robustValAccuracy", 0.99), ("maxTrainMistakes", 1.5), ("minFirstOverLast", 3)],
            new PaperValue("first segment start", 585),
            new PaperValue("first segment end", 700));

        var act = () => claim.ParametersAs<ChainZeroTrainError.Parameters>();

        act.Should().Throw<ClaimDefinitionException>().WithMessage("*'ruleParameters.maxTrainMistakes' is 1.5, but it counts*");
    }

    [Fact]
    public void GV3_binds_the_robust_point_2_and_the_connectivity_limits_by_their_flat_claim_file_names()
    {
        var p = Claim("stitched-barrier-smooth", Gv3()).ParametersAs<StitchedBarrierSmooth.Parameters>();

        p.Point2.Should().Be(new RobustPoint2Snapshot(0.99));
        p.MaxTrainError.Should().Be(0.02);
        p.Connectivity.Should().Be(new LinearConnectivityLimits(MaxErrorBarrier: 0.02, LossBarrierShareOfChance: 0.02));
        RuleParameterBinder.Names(typeof(StitchedBarrierSmooth.Parameters))
            .Should().Equal("robustValAccuracy", "maxTrainError", "maxErrorBarrier", "lossBarrierShareOfChance");
    }

    [Fact]
    public void A_negative_loss_barrier_share_is_rejected()
    {
        var act = () => Claim("stitched-barrier-smooth", Gv3(share: -0.02)).ParametersAs<StitchedBarrierSmooth.Parameters>();

        act.Should().Throw<ClaimDefinitionException>().WithMessage("*'ruleParameters.lossBarrierShareOfChance' is -0.02, outside its range*");
    }

    [Fact]
    public void The_robust_point_2_of_a_landscape_claim_must_be_the_level_at_which_the_run_snapshots_point_2()
    {
        var options = new GrokkingOptions();
        var point2 = new RobustPoint2Snapshot(0.99);

        options.Train.ValAccuracyThreshold = 0.99;
        point2.Check(options).Should().BeNull();
        options.Train.ValAccuracyThreshold = 1.0;
        point2.Check(options).Should().Be(
            "robustValAccuracy 0.99 must equal the experiment's Train:ValAccuracyThreshold (1), the level at which the run snapshots point 2");
    }

    [Fact]
    public void Every_claim_that_reads_the_snapshot_block_checks_its_robust_point_2_against_the_experiment_at_load()
    {
        var catalog = ClaimCatalog.Load(Path.Combine(RepositoryLocator.Find(), "claims"));

        var landscape = catalog.Claims.Where(c => c.Include.Contains("robust-point-2-snapshot")).ToList();

        landscape.Select(c => c.Id).Should().Contain(["MC-3", "MC-4", "MC-5", "MC-6", "MC-7", "MC-8", "GV-1", "GV-2", "GV-3"]);
        landscape.Should().OnlyContain(c => c.Parameters!.GetType().GetProperties().Any(p => p.PropertyType == typeof(RobustPoint2Snapshot)));
    }
}
