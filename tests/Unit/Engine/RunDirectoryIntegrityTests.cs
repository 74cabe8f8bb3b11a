using Grokking.Configuration;
using Grokking.Runtime;
using Grokking.Training;
using static TorchSharp.torch;

namespace Grokking.Tests.Unit.Engine;

/// <summary>
/// A run directory belongs to one configuration, is locked while trained, and nothing damaged in it is read as valid;
/// a run killed at any point (between a checkpoint's series and its state.bin included) resumes byte for byte.
/// </summary>
public sealed class RunDirectoryIntegrityTests
{
    private static GrokkingOptions Options(params string[] more) =>
        EngineFixtures.Small(["Population:Seeds=1,2", "Train:Steps=100", "Train:CheckpointEvery=40", .. more]);

    /// <summary>The unbroken run of <see cref="Options"/> (metric steps 20, 40, ..., 100; checkpoints at 40, 80 and 100), trained once.</summary>
    private static readonly Lazy<string> Unbroken = new(() =>
    {
        string dir = EngineFixtures.TempDirectory();
        Train(dir, Options());
        return dir;
    });

    /// <summary>A copy of the unbroken run, to damage.</summary>
    private static string CopyOfUnbroken()
    {
        string dir = EngineFixtures.TempDirectory();
        foreach (string file in Directory.GetFiles(Unbroken.Value, "*", SearchOption.AllDirectories))
        {
            string target = Path.Combine(dir, Path.GetRelativePath(Unbroken.Value, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }

        return dir;
    }

    private static TrainingResult Train(string dir, GrokkingOptions o, IProgress<TrainingProgress>? progress = null, CancellationToken cancel = default) =>
        new PopulationTrainer(o, PopulationSetup.Members(o), CPU).Run(dir, progress, cancel);

    /// <summary>A run interrupted (as Ctrl-C does) at its first metric step at or after <paramref name="step"/>.</summary>
    private static TrainingResult Interrupted(string dir, GrokkingOptions o, long step)
    {
        using var cancel = new CancellationTokenSource();
        var progress = new Progress(p =>
        {
            if (p.Step >= step)
            {
                cancel.Cancel();
            }
        });
        var result = Train(dir, o, progress, cancel.Token);
        result.Interrupted.Should().BeTrue();
        return result;
    }

    /// <remarks>Without .lock: empty, never written, and unreadable while a trainer holds it.</remarks>
    private static Dictionary<string, byte[]> Files(string root) =>
        Directory.GetFiles(root, "*", SearchOption.AllDirectories).Where(f => Path.GetFileName(f) != ".lock")
            .ToDictionary(f => Path.GetRelativePath(root, f), File.ReadAllBytes);

    /// <summary>
    /// Every file of the unbroken run, byte for byte; the resumed run has one more, the weights its interruption saved
    /// (Ctrl-C checkpoints at the next metric step, here step 60).
    /// </summary>
    private static void ShouldBeByteIdentical(string resumed, string unbroken)
    {
        var expected = Files(unbroken);
        var actual = Files(resumed);
        actual.Keys.Except(expected.Keys).Should().Equal(Path.Combine("checkpoints", "weights-step000000060.bin"));
        expected.Keys.Except(actual.Keys).Should().BeEmpty();
        foreach (var (name, bytes) in expected)
        {
            actual[name].Should().Equal(bytes, $"{name} of the resumed run is the unbroken run's, byte for byte");
        }
    }

    [Fact]
    public void A_run_killed_after_a_checkpoint_resumes_to_files_byte_identical_to_an_unbroken_run()
    {
        var o = Options();
        string broken = EngineFixtures.TempDirectory();
        Interrupted(broken, o, 60);

        Train(broken, o).StepsCompleted.Should().Be(100);

        ShouldBeByteIdentical(broken, Unbroken.Value);
    }

    [Fact]
    public void A_run_killed_between_a_checkpoints_series_and_its_state_resumes_to_byte_identical_files()
    {
        // Killed after writing the series of a later checkpoint and before its state.bin: the series are longer than the
        // state records. The unbroken run's finished series are exactly such a later commit's (same rows, same bytes).
        var o = Options();
        string unbroken = Unbroken.Value;
        string broken = EngineFixtures.TempDirectory();
        Interrupted(broken, o, 60);
        foreach (string name in new[] { "metrics.jsonl", "metrics.csv", "step_loss.csv", "events.json" })
        {
            long recorded = new FileInfo(Path.Combine(broken, name)).Length;
            File.Copy(Path.Combine(unbroken, name), Path.Combine(broken, name), overwrite: true);
            new FileInfo(Path.Combine(broken, name)).Length.Should().BeGreaterThan(recorded, $"{name} holds rows past the checkpoint");
        }

        Train(broken, o).StepsCompleted.Should().Be(100);

        ShouldBeByteIdentical(broken, unbroken);
    }

    [Fact]
    public void A_state_file_from_before_the_series_record_resumes_as_before()
    {
        var o = Options();
        string legacy = EngineFixtures.TempDirectory();
        Interrupted(legacy, o, 60);
        WithoutRecord(new RunDirectory(legacy).StateFile);

        Train(legacy, o).StepsCompleted.Should().Be(100);

        ShouldBeByteIdentical(legacy, Unbroken.Value);
    }

    [Fact]
    public void A_legacy_state_whose_metrics_lost_their_last_rows_is_damage_naming_the_file_and_the_line()
    {
        var o = Options();
        string dir = EngineFixtures.TempDirectory();
        Interrupted(dir, o, 60);
        var run = new RunDirectory(dir);
        WithoutRecord(run.StateFile);
        var lines = File.ReadAllLines(run.MetricsJsonl);
        File.WriteAllLines(run.MetricsJsonl, lines[..^2]);
        var before = Files(dir);

        var act = () => Train(dir, o);

        act.Should().Throw<DamagedFileException>().Which.Message.Should().StartWith(
            $"{run.MetricsJsonl}: line {lines.Length - 1}: rows end at step 40 with {lines.Length - 2} row(s); the run has 2 row(s) at step 60; "
            + $"the run cannot resume from it: delete the run directory {dir}");
        Files(dir).Should().BeEquivalentTo(before);
    }

    /// <summary>Damage to a finished run's files, read back whole (as the run cache serves it): file, edit, message.</summary>
    public static TheoryData<string, string, string> ReadBackDamage => new()
    {
        { "metrics.jsonl", "bad json line 2", "not a metric row: line 2, column \\d+: .*" },
        { "metrics.jsonl", "drop last 2 lines", "line \\d+: rows end at step \\d+ with \\d+ row\\(s\\); the run has 2 row\\(s\\) at step 100" },
        { "metrics.jsonl", "cut mid-line", "line \\d+: cut short \\(the file does not end with a line break\\)" },
        { "step_loss.csv", "bad cell line 3", "line 3: 2 cell\\(s\\), expected 3 \\(step and 2 member\\(s\\)\\)" },
        { "step_loss.csv", "extra cell line 3", "line 3: 4 cell\\(s\\), expected 3 .*" },
        { "step_loss.csv", "drop last line", "has rows for steps 1 to 99; the run has 100 step\\(s\\)" },
        { "members.json", "[ {", "line \\d+, column \\d+: .*" },
    };

    [Theory]
    [MemberData(nameof(ReadBackDamage))]
    public void A_damaged_file_of_a_finished_run_read_back_is_damage_naming_it_and_the_line(string name, string damage, string problem)
    {
        string dir = CopyOfUnbroken();
        string file = Path.Combine(dir, name);
        File.WriteAllText(file, Cli.TrainFaultCorpusTests.Damaged(File.ReadAllText(file), damage));

        var act = () => new RunDirectory(dir).ReadResult();

        act.Should().Throw<DamagedFileException>().Which.Message.Should().MatchRegex($"^{System.Text.RegularExpressions.Regex.Escape(file)}: {problem}$");
    }

    [Fact]
    public void A_step_series_cell_that_is_no_number_is_damage_naming_the_line_and_member()
    {
        string dir = CopyOfUnbroken();
        string file = Path.Combine(dir, "step_loss.csv");
        var lines = File.ReadAllLines(file);
        lines[4] = "4,0.5,abc";
        File.WriteAllLines(file, lines);

        var act = () => new RunDirectory(dir).ReadResult();

        act.Should().Throw<DamagedFileException>().WithMessage($"{file}: line 5: member 1's value 'abc' is not a number");
    }

    [Fact]
    public void Resuming_with_another_model_width_is_refused_before_any_model_is_built_or_file_written()
    {
        string dir = CopyOfUnbroken();
        var before = Files(dir);

        var act = () => Train(dir, Options("Model:DModel=48", "Optimizer:WeightDecay=0.5"));

        act.Should().Throw<OptionsException>().Which.Message.Should().Be(
            $"{Path.Combine(dir, "config.json")}: the run was started with Model:DModel=32, Optimizer:WeightDecay=0.001; this command asks for "
            + "Model:DModel=48, Optimizer:WeightDecay=0.5: resume with the run's settings or choose another run directory (--out)");
        Files(dir).Should().BeEquivalentTo(before);
    }

    [Fact]
    public void A_config_json_with_another_engine_version_is_refused()
    {
        string dir = CopyOfUnbroken();
        string config = Path.Combine(dir, "config.json");
        File.WriteAllText(config, File.ReadAllText(config).Replace(EngineVersion.Value, "engine-2000.01.01.1", StringComparison.Ordinal));
        var before = Files(dir);

        var act = () => Train(dir, Options());

        act.Should().Throw<OptionsException>().Which.Message.Should().Contain(
            $"started with EngineVersion=engine-2000.01.01.1; this command asks for EngineVersion={EngineVersion.Value}");
        Files(dir).Should().BeEquivalentTo(before);
    }

    [Fact]
    public void A_second_trainer_on_a_locked_directory_fails_at_once_and_the_cache_style_outer_lock_does_not_block_it()
    {
        string dir = CopyOfUnbroken();
        var before = Files(dir);

        // The run cache holds DIR.lock (beside the directory) while it trains: the trainer's own DIR/.lock is another file.
        using (new FileStream(dir + ".lock", FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None))
        {
            using (RunLock.Acquire(new RunDirectory(dir)))
            {
                var act = () => Train(dir, Options());

                act.Should().Throw<RunDirectoryBusyException>().Which.Message.Should().Be(
                    $"{Path.Combine(dir, ".lock")}: the run directory {dir} is being trained by process {Environment.ProcessId}; "
                    + "wait for it to finish (then run again to resume) or choose another --out");
                Files(dir).Where(f => f.Key != "train.pid").Should().BeEquivalentTo(before);
            }

            Train(dir, Options()).StepsCompleted.Should().Be(100, "with the directory's lock released the cache-held trainer runs");
            Files(dir).Should().BeEquivalentTo(before, "the finished run resumed rewrites the same bytes and removes its pid file");
        }
    }

    /// <summary>Rewrites a state.bin as one written before checkpoints recorded their series: no record, the old layout.</summary>
    private static void WithoutRecord(string stateFile)
    {
        var state = TensorFile.Load(stateFile, CPU);
        state.Remove("meta.files", out var record).Should().BeTrue("a state written now records its series");
        record!.Dispose();
        LegacyTensorFile.Save(stateFile, state);
        foreach (var t in state.Values)
        {
            t.Dispose();
        }
    }

    private sealed class Progress(Action<TrainingProgress> report) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => report(value);
    }
}
