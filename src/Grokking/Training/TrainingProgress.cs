namespace Grokking.Training;

public sealed record TrainingProgress(
    long Step, long TotalSteps, double StepsPerSecond, TimeSpan Eta, double MeanTrainAccuracy, double MeanValAccuracy, int MembersDone);
