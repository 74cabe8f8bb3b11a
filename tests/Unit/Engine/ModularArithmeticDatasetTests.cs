using Grokking.Configuration;
using Grokking.Data;

namespace Grokking.Tests.Unit.Engine;

public class ModularArithmeticDatasetTests
{
    [Fact]
    public void Multiplication_mod_97_uses_b_from_1_as_MC_does()
    {
        var data = ModularArithmeticDataset.Create(ModularOperation.Multiply, 97, SequenceFormat.ThreeToken);

        data.Count.Should().Be(97 * 96);
        data.B.Min().Should().Be(1);
        data.C[(5 * 96) + 6].Should().Be(5 * 7 % 97); // a = 5, b = 7
    }

    [Theory]
    [InlineData(ModularOperation.Add, 20, 10, 7)]
    [InlineData(ModularOperation.Subtract, 3, 10, 16)]
    [InlineData(ModularOperation.Multiply, 20, 10, 16)]
    [InlineData(ModularOperation.Divide, 6, 4, 13)] // 4 * 13 = 52 = 6 (mod 23)
    public void Operations_match_hand_computed_values(ModularOperation op, long a, long b, long expected) =>
        ModularArithmeticDataset.Apply(op, a, b, 23).Should().Be(expected);

    [Fact]
    public void Division_inverts_multiplication_for_every_pair()
    {
        var data = ModularArithmeticDataset.Create(ModularOperation.Divide, 23, SequenceFormat.ThreeToken);
        for (int i = 0; i < data.Count; i++)
        {
            (data.C[i] * data.B[i] % 23).Should().Be(data.A[i]);
        }
    }

    [Fact]
    public void Five_token_form_reads_a_op_b_equals()
    {
        var data = ModularArithmeticDataset.Create(ModularOperation.Add, 7, SequenceFormat.FiveToken);
        using var inputs = data.Inputs();

        inputs.shape.Should().Equal(49, 4);
        inputs[10].data<long>().ToArray().Should().Equal(1, 7, 3, 8); // a = 1, op = p, b = 3, '=' = p + 1
        data.VocabularySize.Should().Be(9);
    }

    [Fact]
    public void Eos_equation_form_reads_eos_a_op_b_equals_and_scores_the_whole_vocabulary()
    {
        var data = ModularArithmeticDataset.Create(ModularOperation.Add, 7, SequenceFormat.EosEquation);
        using var inputs = data.Inputs();

        inputs.shape.Should().Equal(49, 5);
        inputs[10].data<long>().ToArray().Should().Equal(9, 1, 7, 3, 8); // <eos> = p + 2, a = 1, op = p, b = 3, '=' = p + 1
        data.C[10].Should().Be(4);
        data.VocabularySize.Should().Be(10);
        data.Classes.Should().Be(10);
    }

    [Fact]
    public void Split_is_seeded_and_differs_between_seeds()
    {
        var options = EngineFixtures.Small().Data;
        using var a = PopulationDataFactory.Create(options, [1, 2, 1], TorchSharp.torch.CPU);

        a.TrainCount.Should().Be((int)Math.Floor(23 * 23 * 0.4));
        a.TrainY[0].eq(a.TrainY[2]).all().item<bool>().Should().BeTrue("the same seed gives the same split");
        a.TrainX[0].eq(a.TrainX[1]).all().item<bool>().Should().BeFalse("another seed gives another split");
    }
}
