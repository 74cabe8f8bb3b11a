namespace Grokking.Report;

/// <summary>A merged claim held against its committed baseline: whether it differs, and the line to print (null: it matches).</summary>
public sealed record MergeJudgement(string Claim, bool Differs, string? Line);
