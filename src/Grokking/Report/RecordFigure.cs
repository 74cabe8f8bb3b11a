namespace Grokking.Report;

/// <summary>A figure file of a <see cref="ResultRecord"/>: its path relative to the report folder and its bytes (base64).</summary>
public sealed record RecordFigure(string Path, string Base64);
