using Grokking.Claims.Contracts;
using Grokking.Configuration;
using Grokking.Training;
using static TorchSharp.torch;

namespace Grokking.Claims.Analyses;

/// <summary>
/// Everything an analysis may read: the claim, the result of its experiment's run (and the run's directory, for
/// checkpoints), the profile, and where to put figures. Landscape analyses also read the run's resolved options
/// (architecture, data, landscape settings), the device, and report what they compute to <c>Log</c>.
/// </summary>
public sealed record ClaimContext(
    ClaimDefinition Claim,
    TrainingResult Result,
    string RunDirectory,
    Profile Profile,
    string ReportDirectory,
    GrokkingOptions? Options = null,
    Device? Device = null,
    IProgress<string>? Log = null)
{
    /// <summary>The experiment whose run this context holds.</summary>
    public string Experiment { get; init; } = Claim.Experiment;

    /// <summary>The claim's companion experiments (claim file "companions"), by name, each with its own run.</summary>
    public IReadOnlyDictionary<string, ClaimContext> Companions { get; init; } = new Dictionary<string, ClaimContext>();

    /// <summary>A companion's context; the claim file names it, so a missing one is a definition error.</summary>
    public ClaimContext Companion(string experiment) =>
        Companions.TryGetValue(experiment, out var c)
            ? c
            : throw new InvalidOperationException(
                $"{Claim.Id}: the analysis reads experiment '{experiment}', which the claim file does not list under companions");

    /// <summary>The members of the run this claim reads (its member filter and seeds).</summary>
    public IReadOnlyList<MemberSpec> Members => Result.Members
        .Where(m => Claim.Members.Matches(m) && Claim.ReadsSeed(m.Seed))
        .ToList();

    /// <summary>The run's options; landscape analyses need them to rebuild the model and its data.</summary>
    public GrokkingOptions RunOptions =>
        Options ?? throw new InvalidOperationException($"{Claim.Id}: this analysis needs the run's options (ClaimContext.Options)");

    /// <summary>Figure files go to figures/&lt;ID&gt;-name.png under the report directory; returns (directory, name).</summary>
    public (string Directory, string Name) Figure(string name) =>
        (Path.Combine(ReportDirectory, "figures"), $"{Claim.Id}-{name}");

    /// <summary>
    /// Writes a figure named <paramref name="name"/> (figures/&lt;ID&gt;-name.png and .svg) with <paramref name="write"/>,
    /// which receives the directory and file name and returns the paths it wrote (a chart's Write method).
    /// </summary>
    public ClaimFigure Plot(string name, string title, Func<string, string, IReadOnlyList<string>> write)
    {
        var (directory, file) = Figure(name);
        return FigureOf(title, write(directory, file));
    }

    /// <summary>A figure written under <see cref="Figure"/>, with paths relative to the report directory.</summary>
    public ClaimFigure FigureOf(string title, IReadOnlyList<string> paths)
    {
        string Rel(string ext) => Path.GetRelativePath(ReportDirectory, paths.First(p => p.EndsWith(ext, StringComparison.Ordinal)));
        return new ClaimFigure(title, Rel(".png"), Rel(".svg"));
    }
}
