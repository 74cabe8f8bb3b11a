using System.Text.Json.Nodes;

namespace Grokking.Report;

/// <summary>
/// The settings one experiment ran with for a <see cref="ResultRecord"/>: its run-cache key and its resolved options
/// (profile, data, model, optimizer, training, population, landscape), without the runtime and output sections, which
/// say where and how fast it ran (the record's provenance), not what was computed.
/// </summary>
public sealed record ExperimentConfiguration(string Experiment, string CacheKey, JsonObject Options);
