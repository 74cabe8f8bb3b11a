using Grokking.Claims.Analyses;
using Grokking.Claims.Contracts;
using Grokking.Configuration;
using Grokking.Tests.Unit.Engine;
using Grokking.Training;
using static TorchSharp.torch;

namespace Grokking.Tests.Unit.Claims;

/// <summary>
/// A synthetic toy-addition size sweep for OG-15's rule: seeds 0, 1, 2 x sizes 25, 35, 45, 55 (p = 10), a metric row every
/// 100 steps up to the budget, each row recording a representation: a fixed scrambled one (RQI near 0) until the member's
/// generalization step, the linear one (RQI 1) from it on; held-out accuracy 0.1 before and 1 after (none at size 55).
/// </summary>
internal static class ToyAdditionRun
{
    public static readonly int[] Sizes = [25, 35, 45, 55];

    /// <summary>A scrambled 1-D representation of the ten digits: no parallelogram holds to the tolerance.</summary>
    public static readonly float[] Scrambled = [0.9f, -0.4f, 0.1f, 0.7f, -0.8f, 0.3f, -0.1f, 0.55f, -0.65f, 0.2f];

    public static readonly float[] Linear = [.. Enumerable.Range(0, 10).Select(i => (float)i)];

    /// <summary>
    /// The sweep's result. <paramref name="generalizes"/>(seed, size) gives the step from which the member's representation is
    /// linear (null: never); <paramref name="heldOutAt"/>, when given, the step from which every held-out pair is right
    /// whatever the representation; <paramref name="representation"/> overrides the representation after generalizing.
    /// </summary>
    public static TrainingResult Result(
        long budget, Func<long, int, long?> generalizes, Func<long, int, long?>? heldOutAt = null, float[]? representation = null)
    {
        var members = new List<MemberSpec>();
        var rows = new List<MetricRow>();
        foreach (long seed in new long[] { 0, 1, 2 })
        {
            foreach (int size in Sizes)
            {
                var member = new MemberSpec(members.Count, seed, 1e-4, 1, 1, double.NaN, size, 1.0);
                members.Add(member);
                long? at = generalizes(seed, size), right = heldOutAt?.Invoke(seed, size) ?? at;
                for (long step = 100; step <= budget; step += 100)
                {
                    bool linear = at is { } t && step >= t;
                    double val = size == 55 ? double.NaN : right is { } r && step >= r ? 1.0 : 0.1;
                    rows.Add(new MetricRow(step, step, member.Index, 1e-4, 1e-4, 1, 1, 1, val, 20, 1e-3, 1, 1, null)
                    {
                        Representation = linear ? representation ?? Linear : Scrambled,
                    });
                }
            }
        }

        return new TrainingResult
        {
            Members = members,
            Metrics = rows,
            Events = [.. members.Select(m => MemberEvents.None(m.Index))],
            StepLosses = [.. members.Select(_ => Array.Empty<float>())],
            StepsPerEpoch = 1,
            StepsCompleted = budget,
            Interrupted = false,
        };
    }

    public static ClaimContext Context(TrainingResult result, double rqiLevel = 0.95)
    {
        var claim = new ClaimDefinition
        {
            Id = "OG-15",
            Scope = new ScopeDeclaration { Kind = "universal", Reason = "as the claim file" },
            Seeds = [0, 1, 2],
            Members = new MemberFilter(),
            Paper = [],
            RuleParameters = [new("rqiLevel", rqiLevel, "r"), new("criticalSize", 45, "r"), new("absenceFactor", 5, "r"), new("contourLevel", 0.02, "r")],
        };
        var options = EngineFixtures.Small("Data:Kind=toyaddition", "Data:Modulus=10", "Data:TemplateDimension=30", "Data:TrainSamples=45", "Model:Kind=toyaddition",
            "Model:Embedding=1", "Train:BatchSize=0");
        string report = Path.Combine(Path.GetTempPath(), "grokking-tests", Guid.NewGuid().ToString("N"));
        return new ClaimContext(claim, result, "dir", Profile.Ci, report, options, CPU);
    }
}
