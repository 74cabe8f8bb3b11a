using System.Diagnostics;
using Grokking.Claims.Analyses;
using Grokking.Configuration;
using Grokking.Training;
using TorchSharp;
using Grokking.Claims.Contracts;

namespace Grokking.Claims;

/// <summary>Progress of a claim suite: which claim, and its experiment's training progress when it trains.</summary>
public sealed record ClaimProgress(string ClaimId, int Index, int Count, string Phase, TrainingProgress? Training);
