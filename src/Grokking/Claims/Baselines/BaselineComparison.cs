using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Grokking.Runtime;
using Grokking.Claims.Contracts;

namespace Grokking.Claims.Baselines;

/// <summary>The result of comparing an outcome with its accepted baseline.</summary>
public sealed record BaselineComparison(bool Matches, IReadOnlyList<string> Differences, string VerifiedPath, string? ReceivedPath);
