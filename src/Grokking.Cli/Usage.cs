namespace Grokking.Cli;

internal static class Usage
{
    public const string Commands = "info";

    public const string Text = """
        grokking — executable claims about grokking and loss landscapes

        usage: grokking <command> [options]

        commands:
          info                     TorchSharp/libtorch versions, device, threads, libstdc++ shim
          help                     this text

        options (every command):
          --profile smoke|ci|paper configuration profile (default ci)
          --config FILE.json       extra JSON configuration layer (repeatable)
          --set Section:Key=value  override one key (repeatable), e.g. --set Train:BatchSize=256
        environment: GROKKING__Section__Key=value (e.g. GROKKING__Profile=paper)
        """;
}
