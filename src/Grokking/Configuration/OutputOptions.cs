namespace Grokking.Configuration;

public sealed class OutputOptions
{
    public string RunsDirectory { get; set; } = "runs";

    public string CacheDirectory { get; set; } = ".cache/runs";

    public string ReportDirectory { get; set; } = "report";
}
