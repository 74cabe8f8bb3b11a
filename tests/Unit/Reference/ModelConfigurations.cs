namespace Grokking.Tests.Unit.Reference;

/// <summary>
/// Every architecture the model factory builds, as override sets for <see cref="ReferenceFixtures.Tiny"/>: the
/// transformer with and without LayerNorm, 1 and 2 layers, both activations (the three input formats and both
/// initializations spread over them), and the MLP with and without hidden layers.
/// </summary>
internal static class ModelConfigurations
{
    public static readonly string[] Transformers =
    [
        "Model:Norm=none|Model:Layers=1|Model:Activation=relu|Data:Format=threetoken",
        "Model:Norm=none|Model:Layers=1|Model:Activation=tanh|Data:Format=equalstoken|Model:Init=scalednormal",
        "Model:Norm=none|Model:Layers=2|Model:Activation=relu|Data:Format=fivetoken",
        "Model:Norm=none|Model:Layers=2|Model:Activation=tanh|Data:Format=threetoken",
        "Model:Norm=layernorm|Model:Layers=1|Model:Activation=relu|Data:Format=threetoken",
        "Model:Norm=layernorm|Model:Layers=1|Model:Activation=tanh|Data:Format=fivetoken",
        "Model:Norm=layernorm|Model:Layers=2|Model:Activation=relu|Data:Format=equalstoken|Model:Init=scalednormal",
        "Model:Norm=layernorm|Model:Layers=2|Model:Activation=tanh|Data:Format=threetoken",
    ];

    public static readonly string[] Mlps =
    [
        "Model:Kind=mlp|Data:Kind=teacherstudent|Model:Activation=relu",
        "Model:Kind=mlp|Data:Kind=teacherstudent|Model:Activation=tanh",
        "Model:Kind=mlp|Data:Kind=teacherstudent|Model:Activation=tanh|Model:Hidden=7",
        "Model:Kind=mlp|Data:Kind=teacherstudent|Model:Hidden=[]",
    ];

    public static TheoryData<string> All => [.. Transformers, .. Mlps];

    public static string[] Split(string overrides) => overrides.Split('|');
}
