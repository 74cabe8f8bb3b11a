using Grokking.Claims.Analyses;
using Grokking.Claims.Contracts;
using Grokking.Configuration;
using Grokking.Models;
using Grokking.Tests.Unit.Engine;
using Grokking.Training;
using static TorchSharp.torch;

namespace Grokking.Tests.Unit.Claims;

/// <summary>
/// A run directory written by hand for the landscape claims' analyses: chosen members, metric rows and weight
/// snapshots (name -> [K, ...], the format training writes), so a test decides what the analysis reads. Deleted on
/// dispose.
/// </summary>
internal sealed class SyntheticRun : IDisposable
{
    private readonly List<MetricRow> rows = [];

    public SyntheticRun(IReadOnlyList<MemberSpec> members, GrokkingOptions? options = null)
    {
        Members = members;
        Options = options;
        Directory = EngineFixtures.TempDirectory();
        Report = Path.Combine(Directory, "report");
    }

    public IReadOnlyList<MemberSpec> Members { get; }

    public GrokkingOptions? Options { get; }

    public string Directory { get; }

    public string Report { get; }

    /// <summary>Members seeds x fractions, indexed seed-major (seed 0's fractions first).</summary>
    public static List<MemberSpec> Sweep(IReadOnlyList<long> seeds, IReadOnlyList<double> fractions) =>
        [.. seeds.SelectMany(s => fractions.Select(f => (s, f))).Select((x, i) => new MemberSpec(i, x.s, 1e-3, 1.0, 1.0, x.f))];

    /// <summary>
    /// A linear model (an MLP without hidden layers) on teacher-student regression, in float64, with
    /// <paramref name="trainSamples"/> training rows: its loss L = 1/(N·O) Σ_i Σ_o (w_o·x̃_i − y_io)², x̃ = [x, 1], has
    /// the Hessian 2/(N·O) X̃ᵀX̃ for every output's weights (O identical blocks) whatever the weights, and is a
    /// parabola along any line in weight space.
    /// </summary>
    public static GrokkingOptions LinearRegression(int trainSamples)
    {
        var options = EngineFixtures.Small("Data:Kind=teacherstudent", $"Data:TrainSamples={trainSamples}", $"Data:TestSamples={trainSamples}", "Model:Kind=mlp", "Model:Precision=float64", "Train:BatchSize=0");
        options.Model.Hidden = [];
        return options;
    }

    /// <summary>Freshly initialized weights of a population, member k drawn from <paramref name="seeds"/>[k]: name -> [K, ...].</summary>
    public static Dictionary<string, Tensor> Initialized(GrokkingOptions options, IReadOnlyList<long> seeds)
    {
        using var model = PopulationModelFactory.Create(seeds.Count, options.Model, options.Data);
        model.Initialize(seeds, [.. seeds.Select(_ => 1.0)]);
        return model.Snapshot();
    }

    public static void Dispose(IReadOnlyDictionary<string, Tensor> state)
    {
        foreach (var t in state.Values)
        {
            t.Dispose();
        }
    }

    /// <summary>Member <paramref name="member"/>'s metric row at <paramref name="step"/> (diverged: the step it diverged at, from this row on).</summary>
    public void Row(int member, long step, double trainLoss, double trainAccuracy, double valAccuracy, long diverged = MemberEvents.Never) =>
        rows.Add(new MetricRow(step, step, member, trainLoss, trainLoss, trainAccuracy, 1.0, 1.0, valAccuracy, 10, 1e-3, 1, 1, null, diverged));

    /// <summary>Writes the population's weights at <paramref name="step"/>.</summary>
    public void Save(long step, IReadOnlyDictionary<string, Tensor> state) => TensorFile.Save(new RunDirectory(Directory).WeightsAt(step), state);

    /// <summary>Overwrites every snapshot with bytes no reader accepts: only a cached result survives it.</summary>
    public void CorruptSnapshots()
    {
        foreach (var file in System.IO.Directory.EnumerateFiles(new RunDirectory(Directory).Checkpoints, "weights-step*.bin"))
        {
            File.WriteAllBytes(file, [1, 2, 3]);
        }
    }

    public TrainingResult Result()
    {
        var events = Members.Select(m =>
        {
            var diverged = rows.Where(r => r.Member == m.Index && r.DivergedAtStep != MemberEvents.Never).Select(r => r.DivergedAtStep).DefaultIfEmpty(MemberEvents.Never).Min();
            return MemberEvents.None(m.Index) with { DivergedStep = diverged };
        }).ToList();
        return new TrainingResult
        {
            Members = Members,
            Metrics = rows,
            Events = events,
            StepLosses = [.. Members.Select(_ => Array.Empty<float>())],
            StepsPerEpoch = 1,
            StepsCompleted = rows.Count == 0 ? 0 : rows.Max(r => r.Step),
            Interrupted = false,
        };
    }

    public ClaimContext Context(string id, params (string Name, double Value)[] tolerances)
    {
        var claim = new ClaimDefinition
        {
            Id = id,
            Members = new MemberFilter(),
            RuleParameters = [.. tolerances.Select(t => new RuleParameter(t.Name, t.Value, "test"))],
        };
        return new ClaimContext(claim, Result(), Directory, Profile.Ci, Report, Options, CPU);
    }

    public void Dispose()
    {
        if (System.IO.Directory.Exists(Directory))
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
    }
}
