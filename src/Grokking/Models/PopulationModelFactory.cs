using Grokking.Configuration;
using Grokking.Data;
using static TorchSharp.torch;

namespace Grokking.Models;

public static class PopulationModelFactory
{
    /// <param name="dtype">Type the parameters are created in; default Model:Precision (float64 also for finite-difference checks).</param>
    public static PopulationModel Create(int members, ModelOptions model, DataOptions data, Device? device = null, ScalarType? dtype = null)
    {
        var type = dtype ?? model.DType;
        var (inputShape, vocabulary, outputs) = PopulationDataFactory.Shape(data);
        return model.Kind switch
        {
            ModelKind.Transformer when data.Kind == DatasetKind.Modular =>
                new PopulationTransformer(members, model, vocabulary, (int)inputShape[0], outputs, device, type),
            ModelKind.Transformer => throw OptionsException.InvalidValue(
                "Model:Kind", "transformer needs Data:Kind = modular (token inputs); use mlp"),
            ModelKind.Mlp when data.Kind == DatasetKind.Modular => throw OptionsException.InvalidValue(
                "Model:Kind", "mlp needs vector inputs; use transformer for Data:Kind = modular"),
            ModelKind.Lstm when data.Kind == DatasetKind.Reviews =>
                new PopulationLstm(members, vocabulary, model.Embedding, model.DModel, model.Layers, device, type),
            ModelKind.Gcnn when data.Kind == DatasetKind.Molecules => new PopulationGcnn(
                members, Qm9Molecules.FeatureCount, MoleculeGraphs.BondTypes, model.Hidden, model.DMlp, model.DMlp, device, type),
            ModelKind.ToyAddition when data.Kind == DatasetKind.ToyAddition =>
                new PopulationToyAddition(members, model, data.Modulus, data.TemplateDimension, device, type),
            ModelKind.ToyAddition => throw Mismatch("toyaddition", "Data:Kind", "toyaddition"),
            _ when data.Kind == DatasetKind.ToyAddition => throw Mismatch("Data:Kind = toyaddition", "Model:Kind", "toyaddition"),
            ModelKind.Lstm => throw Mismatch("lstm", "Data:Kind", "reviews"),
            ModelKind.Gcnn => throw Mismatch("gcnn", "Data:Kind", "molecules"),
            _ when data.Kind == DatasetKind.Reviews => throw Mismatch("Data:Kind = reviews", "Model:Kind", "lstm"),
            _ when data.Kind == DatasetKind.Molecules => throw Mismatch("Data:Kind = molecules", "Model:Kind", "gcnn"),
            ModelKind.Mlp => new PopulationMlp(members, model, (int)inputShape.Aggregate(1L, (a, b) => a * b), outputs, device, type),
            _ => throw new ArgumentOutOfRangeException(nameof(model)),
        };
    }

    /// <summary>A model kind and a data kind that only go with each other's partner: the error names the key to change.</summary>
    private static OptionsException Mismatch(string kind, string key, string needed) =>
        OptionsException.InvalidValue("Model:Kind", $"{kind} needs {key} = {needed}");
}
