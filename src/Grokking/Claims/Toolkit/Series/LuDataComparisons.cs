using Grokking.Claims.Contracts;

namespace Grokking.Claims.Toolkit;

/// <summary>
/// The reduced-error LU reading shared by OG-10 (MSE) and OG-12 (cross-entropy), per seed over one loss's two data
/// sizes: at the small N the train error an "L" and the test error a "U" (<see cref="LuCurve"/> on errors), and at
/// the large N the U's right arm (the test error's rise from its minimum to the largest alpha) a share of the small
/// N's at most <c>maxRiseRatio</c> - the U flattening towards an L.
/// </summary>
public static class LuDataComparisons
{
    /// <summary>The L/U reading of one seed at the small N; null where a member diverged.</summary>
    public static LuCurve? Shape(ReducedErrors e, double monotoneSlack, double flatShare, double uDepth) =>
        e.Diverged || e.Test.Any(v => !double.IsFinite(v))
            ? null
            : LuCurve.Judge(e.Alphas, e.Train, e.Test, monotoneSlack, flatShare, uDepth, nearOneFactor: double.MaxValue);

    /// <summary>Per seed of <paramref name="small"/>: the large N's right rise over the small N's (NaN where either has none).</summary>
    public static List<double> RiseRatios(IReadOnlyList<ReducedErrors> small, IReadOnlyList<ReducedErrors> large) =>
        [.. small.Select(s => large.FirstOrDefault(l => l.Seed == s.Seed) is { } l && s.RightRise > 0 ? l.RightRise / s.RightRise : double.NaN)];

    /// <summary>
    /// The four comparisons, keys prefixed by <paramref name="prefix"/> (the loss): train rise and flatness, U depth at
    /// the small N, the rise ratio between the data sizes.
    /// </summary>
    public static List<Comparison> Judge(
        ClaimScope scope, string prefix, string loss, IReadOnlyList<ReducedErrors> small, IReadOnlyList<ReducedErrors> large,
        (double MonotoneSlack, double FlatShare, double UDepth, double MaxRiseRatio) p)
    {
        var shapes = small.Select(e => Shape(e, p.MonotoneSlack, p.FlatShare, p.UDepth)).ToList();
        List<double> Of(Func<LuCurve, double> pick) => [.. shapes.Select(x => x is null ? double.NaN : pick(x))];
        Quantity Q(string key, string name, string unit = "") => new($"{prefix}{key}", $"{loss}{name}", unit);
        return
        [
            Thresholds.Judge(scope, Q("trainRise", ", small N: largest rise of the train error between neighbouring alphas, share of its range"),
                Of(x => x.WorstRise), Relation.AtMost, p.MonotoneSlack),
            Thresholds.Judge(scope, Q("trainFlat", ", small N: largest train error for alpha >= 1 over the train error at the smallest alpha"),
                Of(x => x.FlatRatio), Relation.AtMost, p.FlatShare),
            Thresholds.Judge(scope, Q("uDepth", ", small N: lower end of the test-error curve over its minimum", "x"),
                Of(x => x.EndRatio), Relation.AtLeast, 1 + p.UDepth),
            Thresholds.Judge(scope, Q("riseRatio", ": test error's rise from its minimum to the largest alpha, large N over small N"),
                RiseRatios(small, large), Relation.AtMost, p.MaxRiseRatio),
        ];
    }

    /// <summary>Per seed: "seed s: small N ...; large N rise ...".</summary>
    public static string Describe(
        IReadOnlyList<ReducedErrors> small, IReadOnlyList<ReducedErrors> large, double monotoneSlack, double flatShare, double uDepth) =>
        string.Join("; ", small.Select(s =>
        {
            var shape = Shape(s, monotoneSlack, flatShare, uDepth);
            var l = large.FirstOrDefault(x => x.Seed == s.Seed);
            string text = shape is null ? "a member diverged" : shape.Describe().Replace("train ", "train error ", StringComparison.Ordinal);
            return $"seed {s.Seed}: small N {text}, test error rise to the largest alpha {s.RightRise:0.###}; "
                + $"large N rise {(l is null ? "missing" : l.RightRise.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture))}";
        }));
}
