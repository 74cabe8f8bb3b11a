using Grokking.Configuration;
using Grokking.Data;
using Grokking.Models;
using Grokking.Optim;
using Grokking.Training;
using static TorchSharp.torch;

namespace Grokking.Tests.Unit.Engine;

/// <summary>
/// Step counters are exact past 2^24 (where a float32 count stops moving: 2^24 + 1 rounds to 2^24): the optimizer's
/// per-member count, the step a checkpoint stores, and the diverged step a metric row reports.
/// </summary>
public sealed class StepCounterTests
{
    // The first tensor of the process must come after the runtime's setup (it applies the libstdc++ shim on hosts
    // that need it); on a fresh build a test that touched torch first would fail to load TorchSharp.
    public StepCounterTests() => Grokking.Runtime.TorchRuntime.Initialize(Grokking.Runtime.DeviceChoice.Cpu);

    private const long Big = (1L << 24) + 1;

    [Fact]
    public void The_optimizers_step_count_at_two_to_the_24_plus_one_increments_exactly()
    {
        var (model, optimizer, _) = Setup();
        using (model)
        using (optimizer)
        {
            optimizer.LoadState(StateWithCounts(optimizer, Big, Big));
            optimizer.Step(0);

            Counts(optimizer).Should().Equal(Big + 1, Big + 1);
        }
    }

    [Fact]
    public void A_checkpoint_keeps_the_step_and_the_step_counts_past_two_to_the_24()
    {
        string dir = EngineFixtures.TempDirectory();
        var run = new RunDirectory(dir);
        var (model, optimizer, _) = Setup();
        using (model)
        using (optimizer)
        {
            optimizer.LoadState(StateWithCounts(optimizer, Big, Big + 2));
            new Checkpointer(run, model, optimizer, CPU).SaveState(EmptyResult(Big), Big);
        }

        var (model2, optimizer2, _) = Setup();
        using (model2)
        using (optimizer2)
        {
            long step = new Checkpointer(run, model2, optimizer2, CPU).Resume([], [[], []], [[], []], [[], []]);

            step.Should().Be(Big);
            Counts(optimizer2).Should().Equal(Big, Big + 2);
        }

        Directory.Delete(dir, true);
    }

    [Fact]
    public void A_state_file_written_with_float32_counters_before_them_resumes()
    {
        string dir = EngineFixtures.TempDirectory();
        var run = new RunDirectory(dir);
        var (model, optimizer, _) = Setup();
        using (model)
        using (optimizer)
        {
            var state = model.Snapshot().ToDictionary(p => "param." + p.Key, p => p.Value);
            foreach (var (name, t) in StateWithCounts(optimizer, 40, 12))
            {
                state["opt." + name] = t.to_type(ScalarType.Float32);
            }

            state["meta.step"] = tensor(new[] { 40f });
            run.WriteProgress(ResultAt(40)); // a state.bin without a record of its series: they are read whole, to step 40
            LegacyTensorFile.Save(run.StateFile, state);
            File.ReadAllBytes(run.StateFile).Take(4).Should().Equal("GORK"u8.ToArray(), "an all-float32 state is the old layout");

            new Checkpointer(run, model, optimizer, CPU).Resume([], [[], []], [[], []], [[], []]).Should().Be(40);
            Counts(optimizer).Should().Equal(40, 12);
        }

        Directory.Delete(dir, true);
    }

    [Fact]
    public void A_member_frozen_after_two_to_the_24_plus_one_steps_reports_the_exact_diverged_step()
    {
        var (model, optimizer, o) = Setup();
        using (model)
        using (optimizer)
        {
            var state = StateWithCounts(optimizer, Big + 2, Big);
            state["active"] = tensor(new[] { 1f, 0f });
            optimizer.LoadState(state);
            using var data = PopulationDataFactory.Create(o.Data, [1, 2], CPU);
            using var gradSquares = ones(3, 2);

            var rows = new MetricRecorder(model, data, optimizer, 0, false).Record(Big + 3, 1, gradSquares);

            rows[0].DivergedAtStep.Should().Be(MemberEvents.Never);
            rows[1].DivergedAtStep.Should().Be(Big + 1, "the bad step is the one after the steps it took");
        }
    }

    private static (PopulationMlp Model, PopulationOptimizer Optimizer, GrokkingOptions Options) Setup()
    {
        var o = EngineFixtures.Small(
            "Model:Kind=mlp", "Data:Kind=teacherstudent", "Data:TrainSamples=8", "Data:TestSamples=8", "Model:Hidden=4", "Optimizer:Name=adamw");
        var (shape, _, outputs) = PopulationDataFactory.Shape(o.Data);
        var model = new PopulationMlp(2, o.Model, (int)shape[0], outputs);
        model.Initialize([1, 2], [1.0, 1.0]);
        var optimizer = new PopulationOptimizer(model, o.Optimizer, [0.1, 0.1], [0.0, 0.0]);
        optimizer.ZeroGrad();
        model.forward(ones(2, 3, shape[0])).sum().backward();
        return (model, optimizer, o);
    }

    private static Dictionary<string, Tensor> StateWithCounts(PopulationOptimizer optimizer, long first, long second)
    {
        var state = optimizer.State();
        state["steps_taken"] = tensor(new[] { first, second });
        return state;
    }

    /// <summary>Read through float64 (exact to 2^53), so the same code reads a float32 or an int64 counter.</summary>
    private static long[] Counts(PopulationOptimizer optimizer) =>
        optimizer.StepsTaken.to_type(ScalarType.Float64).data<double>().Select(c => (long)c).ToArray();

    /// <summary>What a two-member run holds after <paramref name="step"/> steps with one metric step at its end.</summary>
    private static TrainingResult ResultAt(long step) => new()
    {
        Members = [],
        Metrics = [.. Enumerable.Range(0, 2).Select(m => new MetricRow(step, 1, m, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, null))],
        Events = [],
        StepLosses = [new float[step], new float[step]],
        StepsPerEpoch = 1,
        StepsCompleted = step,
        Interrupted = false,
    };

    private static TrainingResult EmptyResult(long step) => new()
    {
        Members = [],
        Metrics = [],
        Events = [],
        StepLosses = [[], []],
        StepsPerEpoch = 1,
        StepsCompleted = step,
        Interrupted = false,
    };
}
