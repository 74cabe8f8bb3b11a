using Grokking.Training;

namespace Grokking.Claims.Toolkit;

/// <summary>A member of a grokking run with its points in epochs and, where reached, the steps of their snapshots.</summary>
public sealed record GrokkingMember(MemberSpec Spec, GrokkingPoints Points, long? Point1Step, long? Point2Step)
{
    public bool Diverged => Points.DivergedEpoch is not null;

    public PathAnchor AtPoint1 => new(Spec.Index, Spec.Seed, Point1Step ?? throw new InvalidOperationException($"seed {Spec.Seed} has no point 1"));

    public PathAnchor AtPoint2 => new(Spec.Index, Spec.Seed, Point2Step ?? throw new InvalidOperationException($"seed {Spec.Seed} has no point 2"));
}
