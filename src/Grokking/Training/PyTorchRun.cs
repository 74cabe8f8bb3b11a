namespace Grokking.Training;

/// <summary>What one run of the script gave: the measurements trusted, and each problem found (damaged lines, failures).</summary>
public sealed record PyTorchRun(IReadOnlyList<PyTorchMeasurement> Measurements, IReadOnlyList<string> Problems)
{
    public PyTorchMeasurement? EagerMeasurement => Measurements.FirstOrDefault(m => m.Mode == PyTorchMeasurement.Eager);

    public PyTorchMeasurement? VmapMeasurement => Measurements.FirstOrDefault(m => m.Mode == PyTorchMeasurement.Vmap);
}
