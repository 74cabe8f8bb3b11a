using Grokking.Configuration;

namespace Grokking.Claims.Contracts;

/// <summary>
/// A parameters record (or a group inside one) whose values must agree with the experiment the claim reads — e.g. the
/// robust point 2 must be the level the trainer records as its validation event. Checked when claims load, for every
/// experiment and profile, so that a mismatch is a definition error before anything trains.
/// </summary>
public interface IExperimentConsistency
{
    /// <summary>Null when consistent; otherwise the problem, naming the parameter and the option.</summary>
    string? Check(GrokkingOptions options);
}
