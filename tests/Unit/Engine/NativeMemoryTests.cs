using System.Diagnostics;
using Grokking.Training;
using TorchSharp;

namespace Grokking.Tests.Unit.Engine;

/// <summary>
/// Native memory stays flat over thousands of steps: every step's tensors are disposed by its scope, so the
/// count of live tensors is the same at every metric step, and the resident set does not grow with the steps.
/// The resident set is the whole process's, so the test runs alone: tests beside it that allocate (training, loading
/// the claim catalog) grew it by 150-200 MiB in some runs on two cores.
/// </summary>
[Collection(ResidentMemoryCollection.Name)]
public sealed class NativeMemoryTests
{
    [Fact]
    public void Live_tensors_and_resident_memory_stay_flat_over_thousands_of_steps()
    {
        var o = EngineFixtures.Small("Data:Modulus=11", "Model:DModel=16", "Model:DMlp=32", "Train:BatchSize=16", "Train:Steps=3000", "Train:MetricsEvery=250");
        var live = new List<long>();
        var resident = new List<long>();
        var probe = new Probe(() =>
        {
            live.Add(DisposeScopeManager.Statistics.ThreadTotalLiveCount);
            using var self = Process.GetCurrentProcess();
            resident.Add(self.WorkingSet64);
        });
        long start = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        var shortRun = EngineFixtures.Small("Data:Modulus=11", "Model:DModel=16", "Model:DMlp=32", "Train:BatchSize=16", "Train:Steps=300", "Train:MetricsEvery=250");
        new PopulationTrainer(shortRun, PopulationSetup.Members(shortRun), torch.CPU).Run();
        long afterShort = DisposeScopeManager.Statistics.ThreadTotalLiveCount;

        var result = new PopulationTrainer(o, PopulationSetup.Members(o), torch.CPU).Run(progress: probe);

        result.StepsCompleted.Should().Be(3000);
        live.Should().HaveCount(12);
        live.Skip(1).Should().AllBeEquivalentTo(live[1], "a step that leaked one tensor would add 250 between metric steps");
        long leftLong = DisposeScopeManager.Statistics.ThreadTotalLiveCount - afterShort;
        leftLong.Should().Be(afterShort - start, "what a run leaves behind (a wrapper per parameter) must not grow with its steps");
        leftLong.Should().BeLessThan(20);
        long growth = resident[^1] - resident[2];
        growth.Should().BeLessThan(64L << 20, $"resident memory grew {growth >> 20} MiB between step 750 and step 3000");
    }

    /// <summary>Synchronous, unlike Progress&lt;T&gt;, so it reads the trainer's own thread.</summary>
    private sealed class Probe(Action read) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => read();
    }
}

/// <summary>Tests that measure the process's resident memory: alone, never beside another test.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ResidentMemoryCollection
{
    public const string Name = "resident memory";
}
