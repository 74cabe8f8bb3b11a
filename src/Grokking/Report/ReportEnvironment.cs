namespace Grokking.Report;

/// <summary>Where and how a set of claims was verified (the report's environment block).</summary>
public sealed record ReportEnvironment(
    string GitCommit,
    string TorchSharpVersion,
    string LibTorchVersion,
    string Device,
    int Threads,
    string Profile,
    string Machine,
    string LibStdCxxShim,
    DateTimeOffset Started,
    double Seconds);
