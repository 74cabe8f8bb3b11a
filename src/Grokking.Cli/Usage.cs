namespace Grokking.Cli;

internal static class Usage
{
    public const string Commands = "verify, baselines, info, train, bench";

    public const string Text = """
        grokking — executable claims about grokking and loss landscapes

        usage: grokking <command> [options]

        commands:
          verify [--claims MC-*,PB-1] [--fail-on refuted,inconclusive]
                                   the main job: verify the claims, write report/ (md, html, json, figures)
          baselines accept [ID ...] accept received snapshots as baselines/<profile>/<ID>.verified.json
          info                     TorchSharp/libtorch versions, device, threads, libstdc++ shim
          train [--out DIR]        train a population (Population:Seeds x WeightDecays x InitScales x LearningRates);
                                   Ctrl-C checkpoints, the same --out resumes
          bench [--members N] [--epochs E]
                                   steps/s, epochs/s and GFLOP/s for K = 1 and K = N (default 8) vs a plain bmm;
                                   E epochs per measurement (default 20, about a minute in all on 2 cores)
          help                     this text

        options (every command):
          --profile smoke|ci|paper configuration profile (default ci)
          --config FILE.json       extra JSON configuration layer (repeatable)
          --set Section:Key=value  override one key (repeatable), e.g. --set Train:BatchSize=256
        environment: GROKKING__Section__Key=value (e.g. GROKKING__Profile=paper)
        """;
}
