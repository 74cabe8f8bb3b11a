using Grokking.Training;

namespace Grokking.Claims;

/// <summary>Progress of a claim suite: which claim, and its experiment's training progress when it trains.</summary>
public sealed record ClaimProgress(string ClaimId, int Index, int Count, string Phase, TrainingProgress? Training);
