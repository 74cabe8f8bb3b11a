using System.Globalization;

namespace Grokking.Training;

/// <summary>
/// One phase of a training step: its measured milliseconds per call and how often the trainer calls it. Every = 1 for
/// a phase of every step, Train:MetricsEvery for the metric step's parts, Train:CheckpointEvery for checkpoints, and 0
/// for a phase this setup never runs (measured anyway: what turning it on would cost).
/// </summary>
public sealed record ProfilePhase(string Name, double MsPerCall, long Every)
{
    /// <summary>The phase's share of an average step: its cost per call spread over the steps between calls.</summary>
    public double MsPerStep => Every > 0 ? MsPerCall / Every : 0;
}

/// <summary>Where one training step's time goes for a population of <see cref="Members"/>: its phases, amortized per step.</summary>
public sealed record StepProfile(int Members, IReadOnlyList<ProfilePhase> Phases)
{
    /// <summary>Rows of each member's training set (padded: the largest fraction's), validation set and minibatch.</summary>
    public long TrainRows { get; init; }

    public long ValRows { get; init; }

    public long BatchRows { get; init; }

    public long StepsPerEpoch { get; init; }

    /// <summary>The average step: every phase the setup runs, each at its cadence.</summary>
    public double MsPerStep => Phases.Sum(p => p.MsPerStep);

    /// <summary>A phase's percentage of the average step (0 for a phase the setup does not run).</summary>
    public double PercentOf(ProfilePhase phase) => MsPerStep > 0 ? 100 * phase.MsPerStep / MsPerStep : 0;

    /// <summary>
    /// The profiles side by side, one line per phase: how often it runs, then ms per call, ms per step and % of the step
    /// for each profile. All profiles must list the same phases in the same order.
    /// </summary>
    public static IReadOnlyList<string> Format(IReadOnlyList<StepProfile> profiles)
    {
        var first = profiles[0].Phases;
        if (profiles.Any(p => !p.Phases.Select(f => f.Name).SequenceEqual(first.Select(f => f.Name))))
        {
            throw new ArgumentException("profiles shown side by side must list the same phases", nameof(profiles));
        }

        var inv = CultureInfo.InvariantCulture;
        string Heading(StepProfile p) => string.Create(inv, $" | {"K=" + p.Members,5} {"ms/call",8} {"ms/step",8} {"%",5}");
        var header = $"{"phase",-24} {"every",6}" + string.Concat(profiles.Select(Heading));
        var lines = new List<string> { header };
        for (int i = 0; i < first.Count; i++)
        {
            string every = first[i].Every > 0 ? first[i].Every.ToString(inv) : "off";
            lines.Add($"{first[i].Name,-24} {every,6}" + string.Concat(profiles.Select(p => Cells(p, p.Phases[i]))));
        }

        string Total(StepProfile p) => string.Create(inv, $" | {"",5} {"",8} {p.MsPerStep,8:0.000} {100,5:0.0}");
        lines.Add($"{"step (sum)",-24} {"",6}" + string.Concat(profiles.Select(Total)));
        return lines;
    }

    private static string Cells(StepProfile profile, ProfilePhase phase) => string.Create(
        CultureInfo.InvariantCulture, $" | {"",5} {phase.MsPerCall,8:0.000} {phase.MsPerStep,8:0.000} {profile.PercentOf(phase),5:0.0}");
}
