using Grokking.Claims.Analyses;
using Grokking.Claims.Contracts;
using Grokking.Claims.Toolkit;
using Grokking.Data;
using Grokking.Models;
using Grokking.Runtime;
using static TorchSharp.torch;

namespace Grokking.Claims.Rules.PB;

/// <summary>
/// PB-5 (universal, issue 25), without training: multiplying every scale-invariant parameter of the LayerNorm model
/// (those feeding a LayerNorm: embeddings, W_O, the MLP's layers; not W_Q, W_K, W_V, the gains or the unembedding) by C
/// leaves its logits unchanged up to <c>maxLayerNormChange</c> (relative Frobenius change over a batch of validation
/// inputs), while scaling the same-named parameters of the no-norm model changes its logits by at least
/// <c>minControlChange</c>. Per (side, C) one comparison over the seeds, refuted by one seed past its bound by more than
/// the float precision of the logits; the models are freshly initialized from each arm's options and seed, so this runs
/// in seconds at every profile. Negative control: the same rule with the LayerNorm models' other parameters scaled
/// instead (PB: the attention layer is not scale-invariant), which must refute.
/// </summary>
public sealed class ScaleInvariance : ClaimAnalysis<ScaleInvariance.Parameters>
{
    /// <summary>The factors the issue names; PB's definition is "for every C > 0", so both directions and a large one.</summary>
    public static readonly double[] Scales = [0.5, 2, 10];

    private const int Inputs = 256;

    public override string Name => "scale-invariance";

    public override SeedRule SeedRule => SeedRule.EverySeed;

    public override bool Trains => false;

    /// <summary>
    /// PB-5's rule: the largest relative logit change that still reads as invariant (a change of the whole logits
    /// is 1, so above that nothing is invariant), and the least change the no-norm control must show.
    /// </summary>
    public sealed record Parameters(
        [Within(0, 1)] double MaxLayerNormChange,
        [Within(0, double.MaxValue)] double MinControlChange);

    /// <summary>One arm as the findings and values name it: its depth and whether it is the no-norm control.</summary>
    private sealed record Side(int Layers, bool IsControl)
    {
        public string Label => IsControl ? $"no-norm {Layers}-layer" : $"LayerNorm {Layers}-layer";
    }

    public override string? ControlName => "complement-parameters";

    public override AnalysisResult Analyze(ClaimContext context, Parameters parameters) => Decide(context, parameters, complement: false);

    /// <summary>The same rule with the LayerNorm models' parameters that are not marked scale-invariant scaled instead.</summary>
    public override AnalysisResult AnalyzeControl(ClaimContext context, Parameters parameters) => Decide(context, parameters, complement: true);

    private static AnalysisResult Decide(ClaimContext context, Parameters parameters, bool complement)
    {
        var (arms, controls) = PeriodicMember.Arms(context);
        var device = context.Device ?? CPU;
        var namesFor = ScaledNames(arms, device, complement);
        var findings = new List<SeedFinding>();
        var measured = new List<MeasuredValue>();
        var comparisons = new List<Comparison>();
        foreach (var (arm, isControl) in arms.Select(a => (a, false)).Concat(controls.Select(c => (c, true))))
        {
            var (changes, precision) = Changes(arm, namesFor(arm), device);
            var side = new Side(arm.RunOptions.Model.Layers, isControl);
            measured.AddRange(Values(side, changes, parameters));
            comparisons.AddRange(Compare(context.Claim.ScopeKind, side.Layers, isControl, changes, parameters, precision));
            findings.AddRange(changes.Select(c => Judge(side, c.Seed, c.Changes, parameters)));
        }

        string scaled = string.Join("; ", arms.Concat(controls).Select(a => $"{a.Experiment}: {string.Join(", ", namesFor(a))}"));
        var (verdict, reason) = Thresholds.Combine(comparisons);
        string readings = string.Join("; ", findings.Select(f => $"{f.Subject}: {f.Reason}"));
        return new AnalysisResult(verdict, $"{reason} | per seed: {readings} | scaled parameters: {scaled}", measured, [])
        {
            Comparisons = comparisons,
        };
    }

    /// <summary>
    /// Per C one comparison over the seeds: the LayerNorm side's change at most its bound, the no-norm side's
    /// (<paramref name="isControl"/>) at least its own; <paramref name="precision"/> is the resolution.
    /// </summary>
    public static IEnumerable<Comparison> Compare(
        ClaimScope scope, int layers, bool isControl, IReadOnlyList<(long Seed, double[] Changes)> changes, Parameters p, double precision)
    {
        var side = new Side(layers, isControl);
        for (int c = 0; c < Scales.Length; c++)
        {
            var perSeed = changes.Select(s => s.Changes[c]).ToList();
            string name = $"{side.Label}: relative logit change at C = {Scales[c]}";
            yield return side.IsControl
                ? Thresholds.Judge(scope, new Quantity($"control{side.Layers}C{Scales[c]}", name), perSeed, Relation.AtLeast,
                    p.MinControlChange, precision)
                : Thresholds.Judge(scope, new Quantity($"layerNorm{side.Layers}C{Scales[c]}", name), perSeed, Relation.AtMost,
                    p.MaxLayerNormChange, precision);
        }
    }

    /// <summary>
    /// The names each arm scales: each LayerNorm arm its own scale-invariant set; a control the set of the LayerNorm
    /// arm of its depth (the same names in a model without LayerNorm), or of the first arm when no depth matches.
    /// </summary>
    /// <remarks>
    /// With <paramref name="complement"/> (the negative control) each LayerNorm arm scales its parameters that are not
    /// marked scale-invariant; the no-norm arms keep the scale-invariant names, since only the LayerNorm side's data change.
    /// </remarks>
    private static Func<ClaimContext, IReadOnlyList<string>> ScaledNames(IReadOnlyList<ClaimContext> arms, Device device, bool complement)
    {
        var namesOf = arms.ToDictionary(a => a.RunOptions.Model.Layers, a => InvariantNames(a, device, invariant: true));
        var otherOf = arms.ToDictionary(a => a.RunOptions.Model.Layers, a => InvariantNames(a, device, invariant: false));
        return a => PeriodicMember.IsLayerNorm(a) && complement ? otherOf[a.RunOptions.Model.Layers]
            : namesOf.GetValueOrDefault(a.RunOptions.Model.Layers) ?? namesOf[arms[0].RunOptions.Model.Layers];
    }

    private static SeedFinding Judge(Side side, long seed, double[] values, Parameters p)
    {
        string list = string.Join(", ", Scales.Zip(values, (s, v) => $"C={s}: {v:0.###e+0}"));
        bool holds = side.IsControl ? values.All(v => v >= p.MinControlChange) : values.All(v => v <= p.MaxLayerNormChange);
        string expectation = side.IsControl ? $"changes by >= {p.MinControlChange}" : $"stays within {p.MaxLayerNormChange}";
        return new SeedFinding(seed, holds ? Verdict.Confirmed : Verdict.Refuted, $"{list} ({(holds ? "" : "not: ")}{expectation})")
        {
            Unit = $"{side.Label}, seed {seed}",
        };
    }

    /// <summary>Per C: the control's least change (it must move) or the LayerNorm arm's largest (it must not).</summary>
    private static IEnumerable<MeasuredValue> Values(Side side, IReadOnlyList<(long Seed, double[] Changes)> changes, Parameters p)
    {
        for (int c = 0; c < Scales.Length; c++)
        {
            var perSeed = changes.Select(s => s.Changes[c]).ToList();
            string at = $"{side.Label}: relative logit change at C = {Scales[c]}";
            yield return side.IsControl
                ? new($"{at}, min over seeds", MemberSeries.Min(perSeed), "", null, $">= {p.MinControlChange}", perSeed,
                    Key: $"control{side.Layers}C{Scales[c]}")
                : new($"{at}, max over seeds", MemberSeries.Max(perSeed), "", null, $"<= {p.MaxLayerNormChange}", perSeed,
                    Key: $"layerNorm{side.Layers}C{Scales[c]}");
        }
    }

    /// <summary>The LayerNorm model's parameter names the model marks scale-invariant (or, with false, those it does not).</summary>
    private static IReadOnlyList<string> InvariantNames(ClaimContext arm, Device device, bool invariant)
    {
        using var model = PopulationModelFactory.Create(1, arm.RunOptions.Model, arm.RunOptions.Data, device);
        return [.. model.Parameters.Where(p => p.ScaleInvariant == invariant).Select(p => p.Name)];
    }

    /// <summary>
    /// Per seed, the relative Frobenius change of the logits at each C, and the logits' float precision (the machine
    /// epsilon of the model's dtype: a relative change below it is rounding, the comparisons' resolution).
    /// </summary>
    public static (IReadOnlyList<(long Seed, double[] Changes)> Changes, double Precision) Changes(
        ClaimContext arm, IReadOnlyList<string> names, Device device)
    {
        var members = arm.Members;
        var seeds = members.Select(m => m.Seed).ToArray();
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        using var model = PopulationModelFactory.Create(members.Count, arm.RunOptions.Model, arm.RunOptions.Data, device);
        using var data = PopulationDataFactory.Create(arm.RunOptions.Data, seeds, device, model.DType);
        model.Initialize(seeds, [.. members.Select(m => m.InitScale)]);
        var missing = names.Where(n => model.Parameters.All(p => p.Name != n)).ToList();
        if (missing.Count > 0)
        {
            throw new InvalidOperationException($"{arm.Experiment}: the model has no parameter(s) {string.Join(", ", missing)} to scale");
        }

        var x = data.ValX.narrow(1, 0, Math.Min(Inputs, data.ValCount));
        var original = model.Snapshot();
        var logits = model.forward(x);
        var rows = new double[Scales.Length][];
        for (int c = 0; c < Scales.Length; c++)
        {
            model.Load(original.ToDictionary(p => p.Key, p => names.Contains(p.Key) ? p.Value.Times(Scales[c]) : p.Value));
            var change = model.forward(x).sub(logits).Squared().sum([1, 2]).sqrt().div(logits.Squared().sum([1, 2]).sqrt());
            rows[c] = change.to_type(ScalarType.Float64).cpu().data<double>().ToArray();
        }

        double precision = model.DType == ScalarType.Float64 ? Math.Pow(2, -52)
            : model.DType == ScalarType.Float32 ? Math.Pow(2, -23) : Math.Pow(2, -7);
        return ([.. seeds.Select((s, k) => (s, rows.Select(r => r[k]).ToArray()))], precision);
    }
}
