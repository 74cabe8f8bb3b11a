using Grokking.Configuration;
using Grokking.Landscape;
using Grokking.Training;
using static TorchSharp.torch;

namespace Grokking.Tests.Unit.Engine;

/// <summary>
/// Every model kind trains, and a path point is made, on a device other than the CPU (<see cref="LazyDevice"/>): the
/// forward pass, the backward pass, the optimizer step, the metric steps and a path's evaluation, through the engine's
/// own entry points. A tensor the engine makes on the CPU inside any of them fails the run here as it would on a GPU,
/// which this machine does not have (made on purpose in the optimizer's learning rates, the LSTM's member offsets or
/// a path's coefficients, it failed every run that reads it; the path's aborted the test host, as libtorch raised it
/// where it could not propagate). Each run must also compute what the same run computes on the CPU: the lazy backend
/// executes on the CPU too, in its own graph, so within float32 rounding rather than bit for bit.
/// <para>
/// Nothing is excluded: host reads (the metric steps' losses and accuracies, <c>item</c>) run on this device. What it
/// does differently: its multi-output view operations hand out CPU tensors, so <see cref="Grokking.Runtime.TensorPieces"/>
/// cuts the LSTM's pieces one view at a time there; and <c>logical_and_</c>, which it cannot trace, became
/// <c>logical_and</c> in the step (same values). What it cannot check: an operation its backend runs on the CPU
/// through its eager fallback takes a CPU operand without complaint.
/// </para>
/// </summary>
public class NonCpuDeviceTests
{
    /// <summary>
    /// The runs each model kind is checked with, between them SGD, Adam and AdamW, gradient clipping, the constrained norm,
    /// LayerNorm (pre and post), fixed positions, step traces, the stochastic gradient norm pass and a padded fraction sweep.
    /// </summary>
    private static readonly (string Name, ModelKind Kind, Func<string[]> Overrides)[] Cases =
    [
        ("transformer, SGD, LayerNorm, step traces, stochastic gradient norm", ModelKind.Transformer, () =>
            ["Model:Norm=layernorm", "Optimizer:Name=sgd", "Optimizer:LearningRate=0.1", "Train:StepTraces=true",
                "Train:StochasticGradientNorm=true"]),
        ("transformer, AdamW, post-LayerNorm, sinusoidal positions, no biases, fraction sweep", ModelKind.Transformer, () =>
            ["Model:Norm=postlayernorm", "Model:Positions=sinusoidal", "Model:WithoutBiases=true", "Optimizer:Name=adamw",
                "Optimizer:LearningRate=0.001", "Optimizer:WeightDecay=1", "Population:TrainFractions=0.3,0.5", "Train:BatchSize=0"]),
        ("mlp, Adam, constrained norm (teacher-student)", ModelKind.Mlp, () =>
            ["Model:Kind=mlp", "Model:Hidden=16,16", "Model:Activation=tanh", "Data:Kind=teacherstudent", "Data:TeacherInputs=5",
                "Data:TeacherHidden=8", "Data:TeacherOutputs=3", "Data:TrainSamples=40", "Data:TestSamples=20", "Train:BatchSize=16",
                "Optimizer:Name=adam", "Optimizer:LearningRate=0.001", "Optimizer:ConstrainNorm=true"]),
        ("lstm, AdamW, gradient clipping (reviews)", ModelKind.Lstm, () =>
            ["Model:Kind=lstm", "Model:Layers=2", "Model:Embedding=4", "Model:DModel=8", "Data:Kind=reviews",
                $"Data:ReviewsDirectory={UserDataDatasetTests.Reviews()}", "Data:TrainSamples=12", "Data:TestSamples=4",
                "Data:Vocabulary=5", "Data:SequenceLength=4", "Train:BatchSize=4", "Optimizer:Name=adamw", "Optimizer:LearningRate=0.01",
                "Optimizer:ClipGradNorm=5"]),
        ("gcnn, AdamW, regression (molecules)", ModelKind.Gcnn, () =>
            ["Model:Kind=gcnn", "Model:Hidden=8,4", "Model:DMlp=8", "Data:Kind=molecules",
                $"Data:MoleculesDirectory={Qm9MoleculesTests.Qm9Directory()}", "Data:TrainSamples=2", "Data:TestSamples=2",
                "Train:BatchSize=1", "Optimizer:Name=adamw", "Optimizer:LearningRate=0.01"]),
        ("toy addition, AdamW, learned representation, size and messiness sweeps, step schedule", ModelKind.ToyAddition, () =>
            ["Model:Kind=toyaddition", "Model:Embedding=2", "Model:Hidden=8,8", "Model:Activation=leakyrelu", "Data:Kind=toyaddition",
                "Data:Modulus=5", "Data:TemplateDimension=4", "Data:TrainSamples=10", "Population:TrainSamples=9,15",
                "Population:Messiness=0,1", "Train:BatchSize=0", "Train:RecordRepresentation=true", "Optimizer:Name=adamw",
                "Optimizer:LearningRate=0.01", "Optimizer:RepresentationLearningRate=0.01", "Optimizer:WeightDecay=0.1",
                "Optimizer:LearningRateDropEvery=2", "Optimizer:LearningRateDropFactor=0.5"]),
    ];

    public static TheoryData<string> CaseNames => [.. Cases.Select(c => c.Name)];

    public static TheoryData<ModelKind> ModelKinds => [.. Enum.GetValues<ModelKind>()];

    [Theory]
    [MemberData(nameof(ModelKinds))]
    public void Every_model_kind_has_a_run_on_the_non_cpu_device(ModelKind kind) =>
        Cases.Select(c => c.Kind).Should().Contain(kind, $"model kind {kind} must train on the non-CPU device here: add a case to {nameof(Cases)}");

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void A_run_trains_on_the_non_cpu_device_and_measures_what_it_measures_on_the_cpu(string name)
    {
        var device = LazyDevice.Device;
        var options = Options(name);
        var members = PopulationSetup.Members(options);

        var onDevice = new PopulationTrainer(options, members, device).Run();
        var onCpu = new PopulationTrainer(options, members, CPU).Run();

        onDevice.StepsCompleted.Should().Be(onCpu.StepsCompleted).And.Be(options.Train.Steps);
        onDevice.Metrics.Should().HaveCount(onCpu.Metrics.Count).And.HaveCount(members.Count * 2, "two metric steps per member");
        foreach (var (lazy, cpu) in onDevice.Metrics.Zip(onCpu.Metrics))
        {
            (lazy.Step, lazy.Member).Should().Be((cpu.Step, cpu.Member));
            double[] measured = [lazy.TrainLoss, lazy.ValLoss, lazy.TrainAccuracy, lazy.ValAccuracy, lazy.WeightNorm, lazy.GradNorm];
            double[] reference = [cpu.TrainLoss, cpu.ValLoss, cpu.TrainAccuracy, cpu.ValAccuracy, cpu.WeightNorm, cpu.GradNorm];
            Close(measured, reference, $"{name}: member {cpu.Member} at step {cpu.Step}");
            lazy.MeanStochasticGradNorm.HasValue.Should().Be(cpu.MeanStochasticGradNorm.HasValue);
            Close([lazy.MeanStochasticGradNorm ?? 0], [cpu.MeanStochasticGradNorm ?? 0], $"{name}: stochastic gradient norm");
        }

        for (int k = 0; k < members.Count; k++)
        {
            Close([.. onDevice.StepLosses[k].Select(v => (double)v)], [.. onCpu.StepLosses[k].Select(v => (double)v)], $"{name}: step losses");
            Close([.. onDevice.StepOutputNorms.ElementAtOrDefault(k) ?? []], [.. onCpu.StepOutputNorms.ElementAtOrDefault(k) ?? []], "traces");
        }

        onDevice.Metrics.Should().OnlyContain(m => m.DivergedAtStep == MemberEvents.Never, "no member is frozen by a bad step");
    }

    /// <summary>What the runs above rest on: the device refuses a CPU operand, as CUDA does, and computes the CPU's values.</summary>
    [Fact]
    public void The_device_refuses_a_cpu_tensor_in_an_operation_and_computes_what_the_cpu_does()
    {
        var device = LazyDevice.Device;
        using var scope = NewDisposeScope();
        var onDevice = arange(6, ScalarType.Float32, device).view(2, 3);
        var onCpu = arange(6, ScalarType.Float32).view(2, 3);

        onDevice.device_type.Should().NotBe(TorchSharp.DeviceType.CPU).And.NotBe(TorchSharp.DeviceType.CUDA);
        FluentActions.Invoking(() => onDevice.add(onCpu)).Should().Throw<System.Runtime.InteropServices.ExternalException>()
            .WithMessage("*not a lazy tensor: CPUFloatType*");
        FluentActions.Invoking(() => onDevice.unsqueeze(0).bmm(onCpu.t().unsqueeze(0))).Should()
            .Throw<System.Runtime.InteropServices.ExternalException>("a matmul checks its operands too (the meta device's does not)");
        onDevice.mul(onDevice).sum().item<float>().Should().Be(55f, "0² + 1² + ... + 5², read back to the host");
    }

    /// <summary>
    /// The pieces a model cuts a tensor into hold the same values on the CPU (unbind, chunk) and on this device (one view
    /// at a time), and pass back the same gradients.
    /// </summary>
    [Fact]
    public void Tensor_pieces_are_the_same_on_the_device_as_on_the_cpu()
    {
        var device = LazyDevice.Device;
        using var scope = NewDisposeScope();
        var values = arange(2 * 3 * 10, ScalarType.Float32).view(2, 3, 10);
        foreach (var on in new[] { CPU, device })
        {
            var x = values.to(on).detach().clone().requires_grad_();
            var pieces = Grokking.Runtime.TensorPieces.Chunk(x, 4, 2); // 3, 3, 3, 1: chunk's cut
            var steps = Grokking.Runtime.TensorPieces.Unbind(x, 1);
            pieces.Select(p => p.shape[2]).Should().Equal(3, 3, 3, 1);
            steps.Should().HaveCount(3).And.OnlyContain(s => s.shape.SequenceEqual(new long[] { 2, 10 }));
            var loss = pieces.Select((p, i) => p.mul(i + 1).sum()).Aggregate((a, b) => a.add(b)).add(steps[1].square().sum());
            loss.backward();
            var grad = x.grad!.cpu();
            // d/dx: the chunk's index + 1 everywhere, plus 2x on the middle step.
            float At(int k, int t, int j) => (j / 3) + 1 + (t == 1 ? 2 * ((k * 30) + (t * 10) + j) : 0);
            grad.data<float>().ToArray().Should().Equal(
                [.. from k in Enumerable.Range(0, 2) from t in Enumerable.Range(0, 3) from j in Enumerable.Range(0, 10) select At(k, t, j)],
                $"on {on}");
        }
    }

    [Fact]
    public void A_path_point_is_made_on_the_non_cpu_device_with_the_values_the_cpu_gives()
    {
        var device = LazyDevice.Device;
        var options = EngineFixtures.Small(
            "Data:Modulus=11", "Train:BatchSize=16", "Population:Seeds=0,1", "Landscape:Points=5", "Landscape:MaxMembers=2");
        var members = PopulationSetup.Members(options);

        var onDevice = Segment(options, members, device);
        var onCpu = Segment(options, members, CPU);

        onDevice.Points.Should().HaveCount(onCpu.Points.Count).And.HaveCount(options.Landscape.Points);
        foreach (var (lazy, cpu) in onDevice.Points.Zip(onCpu.Points))
        {
            lazy.T.Should().Be(cpu.T);
            lazy.TrainMistakes.Should().Be(cpu.TrainMistakes);
            Close(
                [lazy.TrainLoss, lazy.TrainLossL2, lazy.ValLoss, lazy.ValLossL2, lazy.TrainError, lazy.ValError, lazy.GradNorm, lazy.WeightNorm],
                [cpu.TrainLoss, cpu.TrainLossL2, cpu.ValLoss, cpu.ValLossL2, cpu.TrainError, cpu.ValError, cpu.GradNorm, cpu.WeightNorm],
                $"path point at t = {cpu.T}");
        }
    }

    /// <summary>
    /// The segment between two freshly initialized members (different seeds), evaluated on <paramref name="device"/>
    /// with its anchors there, gradient norm included.
    /// </summary>
    private static PathEvaluation Segment(GrokkingOptions options, IReadOnlyList<MemberSpec> members, Device device)
    {
        using var model = Grokking.Models.PopulationModelFactory.Create(2, options.Model, options.Data, device);
        model.Initialize([members[0].Seed, members[1].Seed], [1.0, 1.0]);
        using var start = WeightVector.Of(model, 0, "seed 0", members[0].Seed);
        using var end = WeightVector.Of(model, 1, "seed 1", members[1].Seed);
        var setup = LandscapeSetup.Of(options, members[0], device);
        return PathEvaluator.Evaluate(setup, [WeightPath.Segment(start, end, "seed 0 to seed 1")]).Single();
    }

    private static GrokkingOptions Options(string name)
    {
        var (_, _, overrides) = Cases.Single(c => c.Name == name);
        // Two steps, each a metric step: the lazy device traces until a host read and compiles what it traced, so short
        // graphs keep this fast. Modulus 11: splits under 128 rows are evaluated in one pass, without timing pass sizes.
        return EngineFixtures.Small(
        [
            "Data:Modulus=11", "Train:BatchSize=16", .. overrides(),
            "Population:Seeds=0,1", "Train:Steps=2", "Train:MetricsEvery=1", "Train:CheckpointEvery=0",
        ]);
    }

    /// <summary>Equal within float32 rounding of a few operations (relative 1e-4, absolute 1e-5), NaN only with NaN.</summary>
    private static void Close(double[] measured, double[] reference, string what)
    {
        measured.Should().HaveCount(reference.Length, what);
        for (int i = 0; i < reference.Length; i++)
        {
            if (double.IsNaN(reference[i]))
            {
                measured[i].Should().Be(double.NaN, what);
                continue;
            }

            measured[i].Should().BeApproximately(reference[i], 1e-5 + (1e-4 * Math.Abs(reference[i])), $"{what}, value {i}");
        }
    }
}
