using Grokking.Training;

namespace Grokking.Claims.Analyses;

/// <summary>Everything an analysis may read: the claim, its shared run, and where to put figures.</summary>
public sealed record ClaimContext(ClaimDefinition Claim, CachedRun Run, string Profile, string ReportDirectory)
{
    /// <summary>The members of the run this claim reads (its member filter and seeds).</summary>
    public IReadOnlyList<MemberSpec> Members => Run.Result.Members
        .Where(m => Claim.Members.Matches(m) && Claim.ReadsSeed(m.Seed))
        .ToList();

    /// <summary>Figure files go to figures/&lt;ID&gt;-name.png under the report directory; returns (directory, name).</summary>
    public (string Directory, string Name) Figure(string name) =>
        (Path.Combine(ReportDirectory, "figures"), $"{Claim.Id}-{name}");
}

public sealed record AnalysisResult(Verdict Verdict, string Reason, IReadOnlyList<MeasuredValue> Measured, IReadOnlyList<ClaimFigure> Figures);

/// <summary>Turns a claim's runs into measured values and a verdict by the claim's decision rule.</summary>
public interface IClaimAnalysis
{
    string Name { get; }

    /// <summary>Tolerance names the claim file must define (checked when claims load).</summary>
    IReadOnlyList<string> RequiredTolerances { get; }

    AnalysisResult Analyze(ClaimContext context);
}
