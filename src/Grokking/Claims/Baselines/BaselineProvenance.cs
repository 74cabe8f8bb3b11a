using System.Globalization;
using Grokking.Training;

namespace Grokking.Claims.Baselines;

/// <summary>Which engine made a snapshot's outcome, and on which day (UTC, yyyy-MM-dd).</summary>
public sealed record BaselineProvenance(string Engine, string Date)
{
    public static BaselineProvenance Now() =>
        new(EngineVersion.Value, DateTime.UtcNow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
}
