namespace Grokking.Training;

/// <summary>The first step at which a member crossed a threshold; <see cref="Never"/> when it did not within the budget.</summary>
public sealed record MemberEvents(int Member, long TrainThresholdStep, long ValThresholdStep, long DivergedStep)
{
    public const long Never = -1;

    public bool ReachedTrain => TrainThresholdStep != Never;

    public bool ReachedVal => ValThresholdStep != Never;

    public bool Diverged => DivergedStep != Never;

    public static MemberEvents None(int member) => new(member, Never, Never, Never);
}
