namespace Grokking.Configuration;

/// <summary>The whole typed configuration: defaults, then the profile layer, a JSON file, GROKKING__* variables and --set.</summary>
public sealed class GrokkingOptions
{
    public Profile Profile { get; set; } = Profile.Ci;

    public RuntimeOptions Runtime { get; set; } = new();

    public DataOptions Data { get; set; } = new();

    public ModelOptions Model { get; set; } = new();

    public OptimizerOptions Optimizer { get; set; } = new();

    public TrainOptions Train { get; set; } = new();

    public PopulationOptions Population { get; set; } = new();

    public LandscapeOptions Landscape { get; set; } = new();

    public OutputOptions Output { get; set; } = new();
}
