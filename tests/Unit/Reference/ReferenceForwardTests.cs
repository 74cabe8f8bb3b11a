using Grokking.Configuration;
using static TorchSharp.torch;

namespace Grokking.Tests.Unit.Reference;

/// <summary>
/// The batched population forward against a textbook single-model implementation, member by member, in float64:
/// LayerNorm and plain transformers of 1 and 2 layers (all positions, causal mask), and the MLPs.
/// </summary>
public class ReferenceForwardTests
{
    public static TheoryData<string> Models => ModelConfigurations.All;

    [Theory]
    [MemberData(nameof(Models))]
    public void Every_member_computes_the_textbook_model_with_its_own_weights(string overrides)
    {
        var o = ReferenceFixtures.Tiny(ModelConfigurations.Split(overrides));
        using var model = ReferenceFixtures.Float64Model(o, [5, 6, 7], [1.0, 0.7, 1.4]);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var (x, _, _) = ReferenceFixtures.Batch(o, members: 3, batch: 9, seed: 21);

        var batched = model.forward(x);
        batched.shape.Should().Equal(3, 9, o.Data.Kind == DatasetKind.Modular ? model.Parameters.Single(p => p.Name == "unembed").Value.shape[2] : o.Data.TeacherOutputs);
        for (int k = 0; k < 3; k++)
        {
            var member = ReferenceFixtures.Member(model, k);
            var expected = o.Model.Kind == ModelKind.Transformer
                ? ReferenceFixtures.TransformerReference(member, x[k], o.Model)
                : ReferenceFixtures.MlpReference(member, x[k], o.Model);
            double scale = expected.abs().max().item<double>();
            scale.Should().BeGreaterThan(1e-3);
            batched[k].sub(expected).abs().max().item<double>().Should().BeLessThan(1e-12 * scale, $"member {k}");
        }
    }
}
