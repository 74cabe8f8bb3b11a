using Grokking.Configuration;
using Grokking.Tests.Unit.Engine;
using Grokking.Training;
using TorchSharp;

namespace Grokking.Tests.Unit.Training;

/// <summary>
/// Members per chunk is a layout, not a setting of the run: the same run stepped in chunks of 1, 2, an uneven split
/// and all K members writes byte-identical files (metrics, step losses and traces, members, events, weights and the
/// resumable state). config.json is left out: it records the Runtime section, where the layout itself is written.
/// Chunks are used on one CPU thread only (<see cref="MemberChunkLayout.LayoutInvariant"/>): these tests set libtorch's
/// process-wide thread count, so they run alone.
/// </summary>
[Collection(SingleThreadCollection.Name)]
public sealed class MemberChunkInvarianceTests : IDisposable
{
    private readonly int threads;

    public MemberChunkInvarianceTests()
    {
        EngineFixtures.Small();
        threads = torch.get_num_threads();
        torch.set_num_threads(1);
    }

    public void Dispose() => torch.set_num_threads(threads);

    [Fact]
    public void With_several_threads_a_population_is_one_chunk_whatever_is_asked()
    {
        torch.set_num_threads(2);
        Trainer(1, "Population:Seeds=1,2,3", "Train:Steps=20").Run().MembersPerChunk.Should().Be(3);
    }

    [Fact]
    public void A_minibatch_transformer_population_writes_the_same_bytes_in_every_chunk_layout()
    {
        AssertLayoutInvariant(
            [1, 2, 3, 4],
            "Population:Seeds=1,2", "Population:WeightDecays=0,0.01", "Optimizer:Name=adamw", "Optimizer:LearningRate=0.003",
            "Train:Steps=120", "Train:CheckpointEvery=60", "Train:WeightsEvery=40");
    }

    [Fact]
    public void A_full_batch_teacher_student_mlp_population_writes_the_same_bytes_in_every_chunk_layout()
    {
        AssertLayoutInvariant(
            [1, 2, 3],
            "Data:Kind=teacherstudent", "Model:Kind=mlp", "Model:Hidden=16,16", "Model:Activation=tanh", "Data:TrainSamples=40",
            "Data:TestSamples=20", "Train:BatchSize=0", "Population:Seeds=1,2,3", "Optimizer:Name=sgd", "Optimizer:LearningRate=0.05",
            "Train:Steps=100", "Train:CheckpointEvery=50");
    }

    [Fact]
    public void A_padded_train_fraction_sweep_writes_the_same_bytes_in_every_chunk_layout()
    {
        // Each chunk keeps the whole population's padding length, so members with the smaller set still sum the same rows.
        AssertLayoutInvariant(
            [1, 2, 4],
            "Population:Seeds=5,6", "Population:TrainFractions=0.3,0.6", "Train:BatchSize=0", "Optimizer:Name=adamw",
            "Optimizer:LearningRate=0.003", "Train:Steps=80");
    }

    [Fact]
    public void Step_traces_norms_and_the_stochastic_gradient_norm_are_the_same_bytes_in_every_chunk_layout()
    {
        AssertLayoutInvariant(
            [1, 2, 3],
            "Population:Seeds=1,2,3", "Model:Norm=layernorm", "Optimizer:Name=adamw", "Optimizer:LearningRate=0.003",
            "Optimizer:ConstrainNorm=true", "Train:StepTraces=true", "Train:StochasticGradientNorm=true", "Train:Steps=60",
            "Train:MetricsEvery=10", "Train:WeightsEvery=20");
    }

    [Fact]
    public void A_run_interrupted_in_one_layout_resumes_in_another_to_the_bytes_of_an_unbroken_run()
    {
        string[] setup = ["Population:Seeds=1,2,3,4", "Optimizer:Name=adam", "Optimizer:LearningRate=0.003", "Train:Steps=160", "Train:CheckpointEvery=60"];
        string unbroken = Train(4, setup);
        string broken = EngineFixtures.TempDirectory();
        using (var cancel = new CancellationTokenSource())
        {
            var progress = new Progress(p =>
            {
                if (p.Step >= 80)
                {
                    cancel.Cancel();
                }
            });
            var first = Trainer(2, setup).Run(broken, progress, cancel.Token);
            first.Interrupted.Should().BeTrue();
            first.MembersPerChunk.Should().Be(2);
        }

        var resumed = Trainer(1, setup).Run(broken);

        resumed.StepsCompleted.Should().Be(160);
        resumed.MembersPerChunk.Should().Be(1);
        AssertSameFiles(unbroken, broken, "resumed in chunks of 1 after chunks of 2", extraWeights: true);
        Directory.Delete(unbroken, true);
        Directory.Delete(broken, true);
    }

    [Fact]
    public void A_chosen_layout_is_one_of_the_candidates_and_a_set_one_is_taken_as_given()
    {
        var o = EngineFixtures.Small("Population:Seeds=1,2,3", "Train:Steps=20");
        var timings = MemberChunkLayout.Measure(o, PopulationSetup.Members(o), torch.CPU);

        timings.SecondsPerStep.Keys.Should().Equal(1, 2, 3);
        timings.SecondsPerStep.Values.Should().OnlyContain(s => s > 0 && double.IsFinite(s));
        timings.SecondsPerStep[timings.Best].Should().Be(timings.SecondsPerStep.Values.Min());
        // The measured choice is kept for this shape: a run too short to time the candidates takes it.
        new PopulationTrainer(o, PopulationSetup.Members(o), torch.CPU).Run().MembersPerChunk.Should().Be(timings.Best);
        Trainer(2, "Population:Seeds=1,2,3", "Train:Steps=20").Run().MembersPerChunk.Should().Be(2);
        Trainer(9, "Population:Seeds=1,2,3", "Train:Steps=20").Run().MembersPerChunk.Should().Be(3);
    }

    private static void AssertLayoutInvariant(int[] layouts, params string[] setup)
    {
        var dirs = layouts.Select(size => Train(size, setup)).ToList();
        for (int i = 1; i < layouts.Length; i++)
        {
            AssertSameFiles(dirs[0], dirs[i], $"chunks of {layouts[0]} and of {layouts[i]}");
        }

        dirs.ForEach(d => Directory.Delete(d, true));
    }

    private static string Train(int membersPerChunk, params string[] setup)
    {
        string dir = EngineFixtures.TempDirectory();
        var result = Trainer(membersPerChunk, setup).Run(dir);
        result.MembersPerChunk.Should().Be(Math.Min(membersPerChunk, result.Members.Count));
        return dir;
    }

    private static PopulationTrainer Trainer(int membersPerChunk, params string[] setup)
    {
        var o = EngineFixtures.Small([.. setup, $"Runtime:MembersPerChunk={membersPerChunk}"]);
        return new PopulationTrainer(o, PopulationSetup.Members(o), torch.CPU);
    }

    /// <param name="extraWeights">Whether <paramref name="actual"/> may hold more weight snapshots (an interrupted run saves its last weights).</param>
    private static void AssertSameFiles(string expected, string actual, string because, bool extraWeights = false)
    {
        static Dictionary<string, byte[]> Files(string root) => Directory.GetFiles(root, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(root, f))
            .Where(f => f != "config.json" && Path.GetFileName(f) != ".lock")
            .ToDictionary(f => f, f => File.ReadAllBytes(Path.Combine(root, f)));
        var a = Files(expected);
        var b = Files(actual);
        a.Keys.Should().Contain(["metrics.csv", "metrics.jsonl", "step_loss.csv", "members.json", "events.json", "checkpoints/state.bin"]);
        a.Keys.Should().Contain(k => k.StartsWith("checkpoints/weights-", StringComparison.Ordinal));
        var missing = a.Keys.Except(b.Keys);
        var extra = b.Keys.Except(a.Keys).Where(k => !extraWeights || !k.StartsWith("checkpoints/weights-", StringComparison.Ordinal));
        missing.Concat(extra).Should().BeEmpty(because);
        a.Where(f => !b[f.Key].SequenceEqual(f.Value)).Select(f => f.Key).Should().BeEmpty($"every file must be the same bytes for {because}");
    }

    private sealed class Progress(Action<TrainingProgress> report) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => report(value);
    }
}
