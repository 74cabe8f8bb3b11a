using Grokking.Claims.Analyses;
using Grokking.Claims.Contracts;
using Grokking.Claims.Rules.OG;
using Grokking.Claims.Toolkit;
using Grokking.Configuration;
using Grokking.Tests.Unit.Engine;
using Grokking.Training;

namespace Grokking.Tests.Unit.Claims;

/// <summary>
/// OG-14 (<see cref="MessinessContrast"/>) on synthetic runs: 3 seeds x alpha {0.5, 1, 2, 4} x m {0, 0.5, 1}, one run for
/// the images and one for the algorithmic task, both on image options over IDX files written here, so the zero network's
/// loss - the unit of every quantity and the level cells are read at most at - is the one-hot MSE of a zero output,
/// 1 / 10. With fitLevel 0.05 a weight norm fits when some m brings its train loss to 0.005. Each member has two rows,
/// its lowest losses at step 500 and worse ones at the end (the reading takes the lowest). The quantities are checked on
/// a 2 x 2 grid by hand and, for the verdicts, against <see cref="DependenceByHand"/>, written out here apart.
/// </summary>
public class MessinessContrastTests
{
    private static readonly double[] Alphas = [0.5, 1, 2, 4];
    private static readonly double[] Ms = [0, 0.5, 1];

    /// <summary>Losses of one run: (train, test) per seed, alpha index and m index.</summary>
    private delegate (double Train, double Test) Landscape(long seed, int i, int j);

    /// <summary>
    /// Images (Fig. 8): alpha 0.5 does not fit (train 0.03 at every m); from alpha 1 the train loss is 0.001 (0.004 at
    /// alpha 4) rising by 0.004 (x 1.1 per seed) from m = 0 to 1, the test loss above it by 0.002 + 0.002 m (0.003 + 0.002 m
    /// at alpha 4): ranges along m 0.04 (train) and 0.06 (test) of the zero network's loss.
    /// </summary>
    private static (double Train, double Test) Images(long seed, int i, int j)
    {
        double slope = 0.004 * (1 + (0.1 * seed));
        double train = i == 0 ? 0.03 : (i == 3 ? 0.004 : 0.001) + (slope * Ms[j]);
        double test = train + (i == 0 ? 0.001 : (i == 3 ? 0.003 : 0.002) + (0.002 * Ms[j]));
        return (train, test);
    }

    /// <summary>
    /// The algorithmic task (Fig. 6): region I (alpha 0.5) at 0.09 for every m; region II train 0.001 + 0.002 m and test
    /// 0.002 + c 0.09 m, c per seed: a test range along m of 0.9 c of the zero network's loss.
    /// </summary>
    private static Landscape Algorithmic(params double[] c) =>
        (s, i, j) => (i == 0 ? 0.09 : 0.001 + (0.002 * Ms[j]), i == 0 ? 0.09 : 0.002 + (c[s] * 0.09 * Ms[j]));

    /// <summary>
    /// The mean range along m over the columns where some train loss is at most 0.005, over 0.1: written out apart (the run's
    /// zero-network loss is computed in float32, 0.1 to about 1e-8, hence the tolerances of 1e-6 below).
    /// </summary>
    private static double DependenceByHand(Landscape landscape, long seed, bool train)
    {
        double sum = 0;
        int columns = 0;
        for (int i = 0; i < 4; i++)
        {
            var cells = Enumerable.Range(0, 3).Select(j => landscape(seed, i, j)).ToList();
            if (cells.Min(c => c.Train) <= 0.005)
            {
                var values = cells.Select(c => Math.Min(0.1, train ? c.Train : c.Test)).ToList();
                sum += values.Max() - values.Min();
                columns++;
            }
        }

        return sum / columns / 0.1;
    }

    private static TrainingResult Run(
        Landscape landscape, long? divergedSeed = null, bool withMessiness = true, Func<MemberSpec, MemberSpec>? edit = null)
    {
        var members = new List<MemberSpec>();
        var metrics = new List<MetricRow>();
        var events = new List<MemberEvents>();
        foreach (long seed in new long[] { 0, 1, 2 })
        {
            for (int j = 0; j < Ms.Length; j++)
            {
                for (int i = 0; i < Alphas.Length; i++)
                {
                    int index = members.Count;
                    var member = new MemberSpec(index, seed, 1e-3, 0, Alphas[i], Messiness: withMessiness ? Ms[j] : null);
                    members.Add(edit?.Invoke(member) ?? member);
                    var (train, test) = landscape(seed, i, j);
                    long diverged = divergedSeed == seed && i == 3 && j == 2 ? 900 : MemberEvents.Never;
                    metrics.Add(new MetricRow(500, 5, index, train, train, 0.9, test, test, 0.9, 10, 1e-3, 1, 1, null));
                    metrics.Add(new MetricRow(1000, 10, index, train + 0.01, train, 0.9, test + 0.01, test, 0.9, 10, 1e-3, 1, 1, null, diverged));
                    events.Add(new MemberEvents(index, MemberEvents.Never, MemberEvents.Never, diverged));
                }
            }
        }

        return SyntheticResult.Of(members, metrics, events, 100, 1000);
    }

    private static readonly Lazy<string> Idx = new(() => ImageDatasetTests.IdxDirectory(train: 20, test: 6, gzip: false));

    private static GrokkingOptions ImageOptions() => EngineFixtures.Small(
        "Data:Kind=images", "Model:Kind=mlp", $"Data:ImagesDirectory={Idx.Value}", "Data:TrainSamples=5", "Data:TestSamples=4");

    private static ClaimDefinition Og14() => new()
    {
        Id = "OG-14",
        Experiment = "og-mnist-messiness",
        Companions = [MessinessContrast.AlgorithmicExperiment],
        Analysis = "messiness-contrast",
        Seeds = [0, 1, 2],
        Members = new MemberFilter(),
        Paper = [],
        RuleParameters = [new("fitLevel", 0.05, "r"), new("weakShare", 0.1, "r"), new("mismatchShare", 0.1, "r"), new("contrastGap", 0.5, "r")],
    };

    private static ClaimContext Context(
        ClaimDefinition claim, string experiment, TrainingResult result, Dictionary<string, ClaimContext>? companions = null) =>
        new(claim, result, "dir-" + experiment, Profile.Ci, EngineFixtures.TempDirectory(), ImageOptions())
        {
            Experiment = experiment,
            Companions = companions ?? [],
        };

    private static ClaimContext Og14Context(TrainingResult images, TrainingResult algorithmic)
    {
        var claim = Og14();
        var companion = Context(claim, MessinessContrast.AlgorithmicExperiment, algorithmic);
        return Context(claim, "og-mnist-messiness", images, new() { [MessinessContrast.AlgorithmicExperiment] = companion });
    }

    private static Comparison Compared(AnalysisResult result, string key) => result.Comparisons.Single(c => c.Key == key);

    private static readonly ZeroOutputLoss Level = new(0.1, 0.1);

    // ---------------------------------------------------------------- the landscape reading

    [Fact]
    public void The_dependence_on_m_and_the_mismatch_on_a_two_by_two_grid_by_hand()
    {
        // Rows alpha 1, 2; columns m 0, 1; the zero network loses 0.1. Train [[0.001, 0.003], [0.02, 0.06]]: only alpha 1
        // reaches 0.05 x 0.1 = 0.005, so it alone is read. Train range (0.003 - 0.001) / 0.1 = 0.02; test [[0.002, 0.013],
        // [0.03, 0.08]]: range (0.013 - 0.002) / 0.1 = 0.11; mismatch ((0.002 - 0.001) + (0.013 - 0.003)) / 2 / 0.1 = 0.055.
        var grid = new MessinessLandscape(0, [1, 2], [0, 1], new double[,] { { 0.001, 0.003 }, { 0.02, 0.06 } },
            new double[,] { { 0.002, 0.013 }, { 0.03, 0.08 } }, Level, 0, Diverged: false);

        grid.FittedColumns(0.05).Should().Equal(0);
        grid.FittedColumns(0.2).Should().Equal(0, 1);
        grid.MDependence(train: true, 0.05).Should().BeApproximately(0.02, 1e-12);
        grid.MDependence(train: false, 0.05).Should().BeApproximately(0.11, 1e-12);
        grid.Mismatch(0.05).Should().BeApproximately(0.055, 1e-12);
        grid.MProfile(train: false, 0.05).Should().Equal([0.002, 0.013], (a, b) => Math.Abs(a - b) < 1e-12);
        // With both columns read: test ranges 0.011 and 0.05, mean 0.0305.
        grid.MDependence(train: false, 0.2).Should().BeApproximately(0.305, 1e-12);
        (grid with { Diverged = true }).MDependence(train: false, 0.05).Should().Be(double.NaN);
        grid.MDependence(train: true, 0.001).Should().Be(double.NaN, "no weight norm fits");
        grid.Mismatch(0.001).Should().Be(double.NaN);
    }

    [Fact]
    public void The_reading_takes_each_members_lowest_losses_per_seed_on_a_grid_of_alpha_by_m_read_at_most_at_the_zero_networks_loss()
    {
        Landscape withOutlier = (s, i, j) => i == 3 && j == 2 ? (5.0, 7.0) : Images(s, i, j);
        var seeds = MessinessLandscape.Read(Context(Og14(), "og-mnist-messiness", Run(withOutlier)));

        seeds.Select(s => s.Seed).Should().Equal(0, 1, 2);
        seeds[1].Alphas.Should().Equal(Alphas);
        seeds[1].Messiness.Should().Equal(Ms);
        seeds[1].Train[1, 2].Should().BeApproximately(0.001 + 0.0044, 1e-12);
        seeds[1].Test[2, 1].Should().BeApproximately(0.001 + 0.0022 + 0.002 + 0.001, 1e-12);
        // One-hot MSE of a zero output: 1 / 10 on both splits; the outlier's 5 and 7 are read at that level.
        seeds[1].Zero.Train.Should().BeApproximately(0.1, 1e-7);
        seeds[1].Zero.Test.Should().BeApproximately(0.1, 1e-7);
        seeds[1].Train[3, 2].Should().BeApproximately(0.1, 1e-7);
        seeds[1].Test[3, 2].Should().BeApproximately(0.1, 1e-7);
        seeds[1].Saturated.Should().Be(2);
    }

    [Fact]
    public void A_run_without_a_messiness_sweep_or_with_a_hole_in_its_grid_is_an_error_naming_the_experiment()
    {
        var plain = () => MessinessLandscape.Read(Context(Og14(), "og-mnist-lu", Run(Images, withMessiness: false)));
        plain.Should().Throw<InvalidOperationException>().WithMessage("*Population:Messiness*og-mnist-lu*");

        var holed = Run(Images, edit: m => m.Index == 5 ? m with { InitScale = 2 } : m);
        var hole = () => MessinessLandscape.Read(Context(Og14(), "og-mnist-messiness", holed));
        hole.Should().Throw<InvalidOperationException>().WithMessage("*og-mnist-messiness*two members of seed 0*");
    }

    [Fact]
    public void A_run_that_also_sweeps_training_sizes_is_read_at_the_asked_size_which_it_must_hold()
    {
        // og-toy-landscape sweeps sizes 25 ... 55 for OG-15's Fig. 6e; OG-14 reads Fig. 6a/b's size 45. Here (20 fixture
        // images) seed 2's members have 8 examples and the others 12, so reading 12 leaves seeds 0 and 1, and a size the
        // run lacks is an error.
        var sized = Run(Images, edit: m => m with { TrainSamples = m.Seed == 2 ? 8 : 12 });
        var context = Context(Og14(), MessinessContrast.AlgorithmicExperiment, sized);

        MessinessLandscape.Read(context, 12).Select(s => s.Seed).Should().Equal(0, 1);
        MessinessLandscape.Read(context, 8).Select(s => s.Seed).Should().Equal(2);
        var missing = () => MessinessLandscape.Read(context, 10);
        missing.Should().Throw<InvalidOperationException>().WithMessage("*sweeps training-set sizes*lacks*");
        MessinessContrast.AlgorithmicTrainSize.Should().Be(45);
    }

    // ---------------------------------------------------------------- OG-14 messiness-contrast

    [Fact]
    public void OG14_images_weakly_dependent_on_m_against_a_strongly_dependent_algorithmic_test_loss_is_confirmed_and_the_swap_refuted()
    {
        var analysis = new MessinessContrast();
        analysis.Name.Should().Be("messiness-contrast");
        analysis.ControlName.Should().Be("landscapes-swapped");
        var algorithmic = Algorithmic(1, 0.9, 0.95);
        var context = Og14Context(Run(Images), Run(algorithmic));

        var result = analysis.Analyze(context);
        var control = analysis.AnalyzeControl(context);

        result.Verdict.Should().Be(Verdict.Confirmed, result.Reason);
        for (int s = 0; s < 3; s++)
        {
            double imagesTest = DependenceByHand(Images, s, train: false);
            Compared(result, "imagesTrainM").PerSeed[s].Should().BeApproximately(DependenceByHand(Images, s, train: true), 1e-6);
            Compared(result, "imagesTestM").PerSeed[s].Should().BeApproximately(imagesTest, 1e-6);
            Compared(result, "testContrast").PerSeed[s].Should().BeApproximately(DependenceByHand(algorithmic, s, train: false) - imagesTest, 1e-6);
        }

        // Seed 0 by hand: train ranges 0.004 at alphas 1, 2, 4 (0.04); test 0.006 (0.06); mismatch over the 9 fitted cells:
        // (2 x (0.002 + 0.003 + 0.004) + (0.003 + 0.004 + 0.005)) / 9 / 0.1 = 0.03 / 0.9.
        Compared(result, "imagesTrainM").PerSeed[0].Should().BeApproximately(0.04, 1e-6);
        Compared(result, "imagesTestM").PerSeed[0].Should().BeApproximately(0.06, 1e-6);
        Compared(result, "imagesMismatch").PerSeed[0].Should().BeApproximately(0.03 / 0.9, 1e-6);
        Compared(result, "testContrast").PerSeed[0].Should().BeApproximately(0.9 - 0.06, 1e-6);
        // The verdict names the data set: here the IDX directory's name (Fashion-MNIST by default).
        result.Reason.Should().Contain($"images: {Path.GetFileName(Idx.Value)} (og-mnist-messiness)");
        result.Reason.Should().Contain("seed 0 fits at alpha 1/2/4");
        result.Figures.Should().ContainSingle();
        File.Exists(Path.Combine(context.ReportDirectory, result.Figures[0].PngPath)).Should().BeTrue();
        control.Verdict.Should().Be(Verdict.Refuted, control.Reason);
        Compared(control, "imagesTestM").Verdict.Should().Be(Verdict.Refuted);
        Compared(control, "imagesMismatch").Verdict.Should().Be(Verdict.Refuted);
        Compared(control, "testContrast").Verdict.Should().Be(Verdict.Refuted);
        control.Figures.Should().BeEmpty();
    }

    [Fact]
    public void OG14_an_algorithmic_test_loss_only_moderately_more_dependent_on_m_than_the_images_is_refuted()
    {
        var result = new MessinessContrast().Analyze(Og14Context(Run(Images), Run(Algorithmic(0.3, 0.32, 0.28))));

        result.Verdict.Should().Be(Verdict.Refuted, result.Reason);
        Compared(result, "testContrast").Verdict.Should().Be(Verdict.Refuted);
        Compared(result, "imagesTestM").Verdict.Should().Be(Verdict.Confirmed);
        Compared(result, "imagesMismatch").Verdict.Should().Be(Verdict.Confirmed);
    }

    [Fact]
    public void OG14_an_image_test_loss_that_depends_strongly_on_m_is_refuted()
    {
        Landscape strong = (s, i, j) => (Images(s, i, j).Train, Images(s, i, j).Train + (0.02 * Ms[j]));
        var result = new MessinessContrast().Analyze(Og14Context(Run(strong), Run(Algorithmic(1, 0.9, 0.95))));

        result.Verdict.Should().Be(Verdict.Refuted, result.Reason);
        Compared(result, "imagesTestM").Verdict.Should().Be(Verdict.Refuted);
        Compared(result, "imagesTestM").PerSeed[0].Should().BeApproximately(0.24, 1e-6);
        Compared(result, "imagesTrainM").Verdict.Should().Be(Verdict.Confirmed);
    }

    [Fact]
    public void OG14_a_contrast_straddling_the_gap_is_inconclusive_within_noise()
    {
        // Algorithmic test ranges 0.945, 0.27, 0.54 against the images' 0.06, 0.064, 0.068: gaps 0.885, 0.206, 0.472
        // (mean 0.52, a t-interval far wider than the 0.5 it sits on).
        var algorithmic = Algorithmic(1.05, 0.3, 0.6);
        var result = new MessinessContrast().Analyze(Og14Context(Run(Images), Run(algorithmic)));

        result.Verdict.Should().Be(Verdict.Inconclusive, result.Reason);
        var contrast = Compared(result, "testContrast");
        double[] expected = [.. Enumerable.Range(0, 3).Select(s =>
            DependenceByHand(algorithmic, s, train: false) - DependenceByHand(Images, s, train: false))];
        contrast.PerSeed.Should().Equal(expected, (a, b) => Math.Abs(a - b) < 1e-6);
        contrast.PerSeed.Should().Equal([0.885, 0.206, 0.472], (a, b) => Math.Abs(a - b) < 1e-6);
        contrast.Verdict.Should().Be(Verdict.Inconclusive);
        contrast.Reason.Should().Contain("within noise");
    }

    [Fact]
    public void OG14_seeds_with_a_diverged_member_have_no_values_and_two_of_three_leave_it_inconclusive()
    {
        var images = Run(Images, divergedSeed: 1);
        var algorithmic = Run(Algorithmic(1, 0.9, 0.95), divergedSeed: 2);

        var result = new MessinessContrast().Analyze(Og14Context(images, algorithmic));

        result.Verdict.Should().Be(Verdict.Inconclusive, result.Reason);
        Compared(result, "imagesTestM").PerSeed[1].Should().Be(double.NaN);
        var contrast = Compared(result, "testContrast");
        contrast.PerSeed.Count(double.IsNaN).Should().Be(2);
        contrast.Reason.Should().Contain("only 1 value(s)");
        result.Reason.Should().Contain("a member diverged");
    }

    [Fact]
    public void OG14_images_that_fit_at_no_weight_norm_have_no_values_and_leave_it_inconclusive()
    {
        Landscape unfitted = (s, i, j) => (0.03 + Images(s, i, j).Train, 0.031 + Images(s, i, j).Test);
        var result = new MessinessContrast().Analyze(Og14Context(Run(unfitted), Run(Algorithmic(1, 0.9, 0.95))));

        result.Verdict.Should().Be(Verdict.Inconclusive, result.Reason);
        Compared(result, "imagesTestM").PerSeed.Should().OnlyContain(v => double.IsNaN(v));
        Compared(result, "imagesTestM").Reason.Should().Contain("only 0 value(s)");
        result.Reason.Should().Contain("seed 0 fits at no alpha");
    }
}
