namespace Grokking.Claims.Scheduling;

/// <summary>
/// One experiment's training cost at a profile on this device, measured without training it: a sample of its members
/// profiled for a few steps (<see cref="ExperimentEstimator"/>), scaled to all members and the whole step budget.
/// </summary>
/// <param name="Steps">The step budget (Train:Steps, or Train:Epochs in steps): an early stop (Train:StopMarginSteps) ends sooner.</param>
/// <param name="MsPerStep">The whole population's average step, metric steps and checkpoints spread over the steps between them.</param>
/// <param name="Gflop">The run's matmul work: members x steps x one member's average step.</param>
/// <param name="RooflineGflops">GFLOP/s of the step's own matmul shapes alone on this device: the ceiling.</param>
/// <param name="RecordedSeconds">The training seconds a finished run recorded (baselines/&lt;profile&gt;/costs.json); null when none.</param>
public sealed record ExperimentEstimate(
    string Experiment, int Members, int SampledMembers, long Steps, int MetricsEvery, double MsPerStep, double Gflop, double RooflineGflops,
    double? RecordedSeconds, bool EarlyStop)
{
    /// <summary>What the whole run is projected to take on one lane of this device.</summary>
    public double ProjectedSeconds => MsPerStep * Steps / 1000;

    /// <summary>What it would take if every step ran at the roofline: no engine can do better on this device.</summary>
    public double RooflineSeconds => RooflineGflops > 0 ? Gflop / RooflineGflops : 0;

    /// <summary>The measured step's share of the roofline.</summary>
    public double RooflinePercent => ProjectedSeconds > 0 ? 100 * RooflineSeconds / ProjectedSeconds : 0;
}
