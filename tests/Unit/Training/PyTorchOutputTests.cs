using Grokking.Configuration;
using Grokking.Training;

namespace Grokking.Tests.Unit.Training;

/// <summary>
/// The bench reads tools/bench-pytorch.py's output strictly: a well-formed line of the requested setup is a measurement;
/// a damaged, inconsistent, foreign or failing line is reported and its numbers are not used.
/// </summary>
public sealed class PyTorchOutputTests
{
    private static readonly PyTorchRequest Request =
        new(64, 256, 1, 4, 512, 97, ModularOperation.Multiply, false, 0.4, 0.1, 0.001, 20, 8, 1);

    private static string Line(string mode = "eager", int members = 1, string batching = "none", double seconds = 2.0, int dModel = 64) =>
        "{\"batch\": 512, \"batching\": \"" + batching + "\", \"blas\": \"openblas-pthread/libblas.so.3\", \"cpu_seconds\": 1.5, "
        + "\"d_mlp\": 256, "
        + $"\"d_model\": {dModel}, \"epochs\": 20, \"epochs_per_s\": {20 / seconds:R}, \"heads\": 4, \"layers\": 1, \"members\": {members}, "
        + $"\"mode\": \"{mode}\", \"modulus\": 97, \"repeats\": 1, \"schema\": \"grokking-bench-pytorch/1\", "
        + $"\"seconds\": {seconds:R}, \"steps\": 160, "
        + $"\"steps_per_epoch\": 8, \"steps_per_s\": {160 / seconds:R}, \"threads\": 1, \"torch\": \"1.13.0a0\"" + "}";

    private static string Good => Line() + "\n" + Line("vmap", 8, "functorch", seconds: 16.0) + "\n";

    [Fact]
    public void Two_good_lines_are_the_eager_and_the_vmap_measurement_with_no_problem()
    {
        var run = PyTorchOutput.Parse(Good, Request, 0, "");

        run.Problems.Should().BeEmpty();
        run.EagerMeasurement!.EpochsPerSecond.Should().Be(10.0);
        run.EagerMeasurement.Label.Should().Be("PyTorch eager K=1");
        run.VmapMeasurement!.StepsPerSecond.Should().Be(10.0);
        run.VmapMeasurement.Label.Should().Be("PyTorch vmap K=8 (functorch)");
        run.VmapMeasurement.OpenBlas.Should().BeTrue();
    }

    [Fact]
    public void A_truncated_line_is_reported_and_its_measurement_is_missing_not_guessed()
    {
        string damaged = Line() + "\n" + Line("vmap", 8, "functorch", seconds: 16.0)[..120] + "\n";

        var run = PyTorchOutput.Parse(damaged, Request, 0, "");

        run.Measurements.Should().ContainSingle().Which.Mode.Should().Be("eager");
        run.Problems.Should().HaveCount(2);
        run.Problems[0].Should().StartWith("output line 2 not trusted (not a JSON object)");
        run.Problems[1].Should().Be("no trusted vmap measurement");
    }

    [Theory]
    [InlineData("\"steps_per_s\": 80,", "\"steps_per_s\": 81,", "steps_per_s 81 is not steps / seconds = 80")]
    [InlineData("\"steps\": 160", "\"steps\": 150", "steps 150 is not 20 epochs of 8")]
    [InlineData("\"seconds\": 2,", "\"seconds\": -2,", "missing or invalid: seconds")]
    [InlineData("\"threads\": 1", "\"threads\": 1.5", "missing or invalid: threads")]
    [InlineData("\"cpu_seconds\": 1.5", "\"cpu_seconds\": \"1.5\"", "missing or invalid: cpu_seconds")]
    [InlineData("\"torch\": \"1.13.0a0\"", "\"torch\": 113", "missing or invalid: torch")]
    [InlineData("\"d_model\": 64", "\"d_model\": 128", "d_model is not the requested 64")]
    [InlineData("\"threads\": 1", "\"threads\": 2", "threads is not the requested 1")]
    [InlineData("\"repeats\": 1", "\"repeats\": 3", "repeats is not the requested 1")]
    [InlineData("\"mode\": \"eager\"", "\"mode\": \"jit\"", "unknown mode 'jit'")]
    [InlineData("grokking-bench-pytorch/1", "grokking-bench-pytorch/2", "schema is not grokking-bench-pytorch/1")]
    public void A_line_with_a_wrong_field_is_not_trusted_and_says_which(string field, string replacement, string reason)
    {
        string line = Line();
        line.Should().Contain(field);

        var run = PyTorchOutput.Parse(line.Replace(field, replacement, StringComparison.Ordinal), Request with { Members = 0 }, 0, "");

        run.Measurements.Should().BeEmpty();
        run.Problems[0].Should().StartWith($"output line 1 not trusted ({reason})");
    }

    [Fact]
    public void A_second_measurement_of_one_mode_is_not_trusted()
    {
        var run = PyTorchOutput.Parse(Good + Line(seconds: 1.0), Request, 0, "");

        run.Measurements.Should().HaveCount(2);
        run.EagerMeasurement!.Seconds.Should().Be(2.0);
        run.Problems.Should().ContainSingle().Which.Should().StartWith("output line 3 not trusted (a second eager measurement)");
    }

    [Fact]
    public void The_scripts_error_line_and_exit_status_are_reported()
    {
        string output = Line() + "\n{\"error\": \"RuntimeError: vmap: no batching rule\", \"schema\": \"grokking-bench-pytorch/1\"}\n";

        var run = PyTorchOutput.Parse(output, Request, 1, "warning\nTraceback ...\n  last line\n");

        run.Measurements.Should().ContainSingle();
        run.Problems.Should().Equal(
            "output line 2 not trusted (the script failed: RuntimeError: vmap: no batching rule): "
                + "{\"error\": \"RuntimeError: vmap: no batching rule\", \"schema\": \"grokking-bench-pytorch/1\"}",
            "the script exited with status 1: last line",
            "no trusted vmap measurement");
    }

    [Fact]
    public void The_bmm_fallback_is_labelled_as_not_vmap_and_a_reference_blas_is_noticed()
    {
        string line = Line("vmap", 8, "bmm", seconds: 16.0).Replace("openblas-pthread/", "blas/", StringComparison.Ordinal);

        var run = PyTorchOutput.Parse(Line() + "\n" + line, Request, 0, "");

        run.VmapMeasurement!.Label.Should().Be("PyTorch bmm-batched K=8 (no vmap)");
        run.VmapMeasurement.OpenBlas.Should().BeFalse();
    }

    [Fact]
    public void Without_torch_no_interpreter_is_found_and_the_row_says_how_to_install_it()
    {
        string missing = Path.Combine(Path.GetTempPath(), "no-such-python-" + Guid.NewGuid().ToString("N"));

        PyTorchReference.FindInterpreter([missing, "false"]).Should().BeNull();
        PyTorchReference.FindInterpreter([missing, "true"]).Should().Be("true", "an interpreter counts when 'import torch' exits 0");
        PyTorchReference.NotAvailable().Should().Be(
            "PyTorch: not available (python3 -c 'import torch' failed: install Debian's python3-torch and libopenblas0-pthread)");
    }

    [Fact]
    public void The_request_passes_the_benchs_own_setup_to_the_script()
    {
        var o = Engine.EngineFixtures.Small("Data:Format=equalstoken");

        var request = PyTorchRequest.Of(o, members: 8, epochs: 20, threads: 2);

        string.Join(' ', request.Arguments()).Should().Be(
            "--modulus 23 --operation add --train-fraction 0.4 --d-model 32 --d-mlp 64 --layers 1 --heads 4 --batch 64 "
            + "--lr 0.1 --weight-decay 0.001 --epochs 20 --members 8 --threads 2 --repeats 1 --equals-token");
        PyTorchRequest.Unsupported(o, cpu: true).Should().BeNull();
        PyTorchRequest.Unsupported(Engine.EngineFixtures.Small("Model:Norm=layernorm"), cpu: true).Should().Contain("Model:Norm = LayerNorm");
    }

    [Fact]
    public void The_assembly_carries_the_script_in_tools()
    {
        string? root = Grokking.Claims.RepositoryLocator.TryFind();
        root.Should().NotBeNull();
        using var resource = typeof(PyTorchReference).Assembly.GetManifestResourceStream("Grokking.Training.bench-pytorch.py");
        using var reader = new StreamReader(resource!);

        reader.ReadToEnd().Should().Be(File.ReadAllText(Path.Combine(root!, "tools", "bench-pytorch.py")));
    }
}
