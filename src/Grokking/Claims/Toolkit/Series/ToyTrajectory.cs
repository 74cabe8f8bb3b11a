using Grokking.Training;

namespace Grokking.Claims.Toolkit;

/// <summary>
/// One toy-addition member's full trajectory (representation and decoder trained), read from its metric rows before any
/// divergence: the representation quality index at each row (<see cref="RepresentationQuality"/>, from the rows'
/// recorded representation), the first step it exceeds <c>level</c> (the generalizing solution reached; NaN: never), the
/// best RQI and the fewest held-out pairs misclassified over the run (NaN without held-out pairs: a member that trains on
/// every pair), and the steps it ran.
/// </summary>
public sealed record ToyTrajectory(
    long Seed,
    int Size,
    IReadOnlyList<(long Step, double Rqi)> Quality,
    double GeneralizedStep,
    double BestRqi,
    double FewestWrong,
    int HeldOut,
    double Steps,
    bool Diverged)
{
    /// <param name="digits">p, the number of digits the representation embeds (the run's Data:Modulus).</param>
    /// <param name="pairs">All pairs of the task, p (p + 1) / 2: a member's held-out pairs are the ones it does not train on.</param>
    public static ToyTrajectory Of(TrainingResult result, MemberSpec member, int digits, int pairs, double level)
    {
        var rows = MemberSeries.RowsBeforeDivergence(result, member.Index);
        if (rows.Length > 0 && rows.Any(r => r.Representation is null))
        {
            throw new InvalidOperationException(
                $"member {member.Index}: its metric rows hold no representation; the run needs Train:RecordRepresentation = true");
        }

        var quality = rows.Select(r => (r.Step, RepresentationQuality.Of(r.Representation!, digits))).ToList();
        int heldOut = pairs - member.TrainSamples;
        double wrong = heldOut == 0 || rows.Length == 0 ? double.NaN
            : rows.Min(r => Math.Round((1 - r.ValAccuracy) * heldOut));
        return new ToyTrajectory(
            member.Seed,
            member.TrainSamples,
            quality,
            quality.FirstOrDefault(q => q.Item2 > level) is { Step: > 0 } first ? first.Step : double.NaN,
            quality.Select(q => q.Item2).DefaultIfEmpty(double.NaN).Max(),
            wrong,
            heldOut,
            rows.Length == 0 ? 0 : rows[^1].Step,
            result.Events[member.Index].Diverged);
    }

    /// <summary>Whether the member reached the generalizing solution within its run.</summary>
    public bool Generalized => double.IsFinite(GeneralizedStep);
}
