namespace Grokking.Claims.Contracts;

/// <summary>
/// A run's training cost at one profile as 'grokking verify --plan --record' measured it on a machine (never written by
/// hand): minutes on one lane, the matmul roofline's floor under them, the steps they cover and where they were measured.
/// </summary>
public sealed record ProjectedCost(
    double CpuMinutes, double RooflineMinutes, long Steps, bool EarlyStop, int SampledMembers, string Measured, string Engine, string Device);
