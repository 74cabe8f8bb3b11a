using Grokking.Models;
using Grokking.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace Grokking.Tests.Unit.Engine;

/// <summary>
/// The batched GCNN against a loop-by-loop reading of Omnigrok's QM9 network (PyG NNConv with add aggregation, root
/// weight and bias; global add pooling; ReLU head; linear output) on hand-made molecules, in float64.
/// </summary>
public class PopulationGcnnTests
{
    private const int F = Grokking.Data.Qm9Molecules.FeatureCount;
    private const int E = Grokking.Data.MoleculeGraphs.BondTypes;
    private const int SingleBond = 0;
    private const int DoubleBond = 1;
    private const int TripleBond = 2;
    private const int AromaticBond = 3;

    /// <summary>One molecule in the data's packed layout (<see cref="Grokking.Data.MoleculeGraphs"/>), the form the model reads.</summary>
    private static float[] Encode(int slots, float[][] atoms, (int First, int Second, int Type)[] bonds)
    {
        var features = new float[atoms.Length, F];
        for (int i = 0; i < atoms.Length; i++)
        {
            for (int f = 0; f < F; f++)
            {
                features[i, f] = atoms[i][f];
            }
        }

        return Grokking.Data.MoleculeGraphs.Pack([new Grokking.Data.Molecule("test", features, bonds, 0)], slots);
    }

    /// <summary>The column of an atom's row that says whether it is bonded to <paramref name="neighbour"/> by <paramref name="type"/>.</summary>
    private static int BondColumn(int type, int neighbour, int slots) => F + 1 + (type * slots) + neighbour;

    /// <summary>Methane-like: a centre bonded to four others by single bonds (fills A = 5 exactly).</summary>
    private static readonly Molecule Star = new(Atoms(5, seed: 1), [(0, 1, SingleBond), (0, 2, SingleBond), (0, 3, SingleBond), (0, 4, SingleBond)]);

    /// <summary>A 3-atom chain: a double bond, then a single one.</summary>
    private static readonly Molecule Chain = new(Atoms(3, seed: 2), [(0, 1, DoubleBond), (1, 2, SingleBond)]);

    /// <summary>An aromatic triangle with a fourth atom on a triple bond: every bond type and a cycle.</summary>
    private static readonly Molecule Ring = new(
        Atoms(4, seed: 3), [(0, 1, AromaticBond), (1, 2, AromaticBond), (2, 0, AromaticBond), (2, 3, TripleBond)]);

    public PopulationGcnnTests() => TorchRuntime.Initialize(DeviceChoice.Cpu);

    [Fact]
    public void Has_the_parameters_of_Omnigroks_network_with_PyTorch_and_PyG_initialization()
    {
        using var model = new PopulationGcnn(2, F, E, [32, 16], 32, 32);
        model.Initialize([1, 2], [1.0, 2.0]);

        var shapes = model.Parameters.ToDictionary(p => p.Name, p => p.Value.shape);
        shapes["conv.0.edge1.weight"].Should().Equal(2, 4, 32);
        shapes["conv.0.edge2.weight"].Should().Equal(2, 32, 11 * 32);
        shapes["conv.0.root"].Should().Equal(2, 11, 32);
        shapes["conv.1.edge2.weight"].Should().Equal(2, 32, 32 * 16);
        shapes["conv.1.bias"].Should().Equal(2, 16);
        shapes["head.weight"].Should().Equal(2, 16, 32);
        shapes["out.weight"].Should().Equal(2, 32, 1);
        shapes["out.bias"].Should().Equal(2, 1);
        model.OutputWeightName.Should().Be("out.weight");
        model.HasScaleInvariantParameters.Should().BeFalse();
        // Per member, as sum(p.numel() for p in ExampleNet(11, 4).parameters()): 12160 + 17584 + 544 + 33.
        model.Parameters.Sum(p => p.Value.numel() / 2).Should().Be(30321);

        using var noGrad = no_grad();
        foreach (var (name, fan) in new[] { ("conv.0.edge1.weight", 4), ("conv.0.edge1.bias", 4), ("conv.0.edge2.weight", 32),
            ("conv.0.edge2.bias", 32), ("conv.0.root", 11), ("conv.1.root", 32), ("head.bias", 16), ("out.weight", 32) })
        {
            var value = model.Parameters.Single(p => p.Name == name).Value;
            for (int k = 0; k < 2; k++)
            {
                double bound = (k + 1) / Math.Sqrt(fan);
                double max = value[k].abs().max().item<float>();
                max.Should().BeLessThanOrEqualTo(bound * (1 + 1e-6), $"{name} is U(±{k + 1}/sqrt({fan})) for init scale {k + 1}");
                max.Should().BeGreaterThan(bound / 2, $"{name} spreads over its range");
            }
        }

        foreach (var name in new[] { "conv.0.bias", "conv.1.bias" })
        {
            model.Parameters.Single(p => p.Name == name).Value.abs().max().item<float>().Should().Be(0, "NNConv's bias starts at zero");
        }
    }

    [Fact]
    public void Layout_writes_features_mask_and_both_directions_of_each_bond_and_leaves_padding_zero()
    {
        const int slots = 6;
        var row = Encode(slots, Chain.Atoms, Chain.Bonds);
        int columns = Grokking.Data.MoleculeGraphs.Width(slots);
        columns.Should().Be(F + 1 + (E * slots));
        row.Should().HaveCount(slots * columns);

        float At(int atom, int column) => row[(atom * columns) + column];
        for (int i = 0; i < slots; i++)
        {
            At(i, F).Should().Be(i < 3 ? 1 : 0);
        }

        At(1, 4).Should().Be(Chain.Atoms[1][4]);
        At(0, BondColumn(DoubleBond, 1, slots)).Should().Be(1);
        At(1, BondColumn(DoubleBond, 0, slots)).Should().Be(1);
        At(1, BondColumn(SingleBond, 2, slots)).Should().Be(1);
        At(2, BondColumn(SingleBond, 1, slots)).Should().Be(1);
        Enumerable.Range(0, slots).Sum(i => Enumerable.Range(F + 1, E * slots).Sum(c => At(i, c))).Should().Be(4, "two bonds, two directions");
        row.Skip(3 * columns).Should().OnlyContain(v => v == 0);

        var act = () => Encode(slots, Chain.Atoms, [(0, 3, SingleBond)]);
        act.Should().Throw<ArgumentException>("atom 3 is padding");
        using var model = new PopulationGcnn(1, F, E, [8], 8, 8);
        var wrong = () => model.forward(zeros(1, 2, slots, columns - 1));
        wrong.Should().Throw<ArgumentException>();
    }

    [Fact]
    public void Forward_matches_a_loop_reference_of_NNConv_add_pooling_and_head_for_every_member()
    {
        using var model = PerturbedModel(members: 2, seed: 7);
        var molecules = new[] { Star, Chain, Ring };
        using var noGrad = no_grad();
        var output = model.forward(Batch(2, 6, molecules));

        output.shape.Should().Equal(2, 3, 1);
        for (int k = 0; k < 2; k++)
        {
            for (int b = 0; b < molecules.Length; b++)
            {
                double expected = Reference(model, k, molecules[b]);
                double tolerance = 1e-10 * Math.Max(1, Math.Abs(expected));
                output[k, b, 0].item<double>().Should().BeApproximately(expected, tolerance, $"member {k}, molecule {b}");
            }
        }

        output[0].allclose(output[1]).Should().BeFalse("the members have different weights");
    }

    [Fact]
    public void Padding_slots_change_nothing_because_the_mask_zeroes_their_states()
    {
        using var model = PerturbedModel(members: 2, seed: 8);
        var bias = model.Parameters.Single(p => p.Name == "conv.0.bias").Value;
        bias.abs().min().item<double>().Should().BeGreaterThan(0, "relu(bias) reaches padded slots");
        var molecules = new[] { Star, Chain, Ring };
        using var noGrad = no_grad();

        var tight = model.forward(Batch(2, 5, molecules));
        var padded = Batch(2, 9, molecules);
        var loose = model.forward(padded);
        (loose - tight).abs().max().item<double>().Should().BeLessThan(1e-12 * tight.abs().max().item<double>());

        // The check is not vacuous: a padded slot let through (mask 1) changes the output.
        padded[TensorIndex.Ellipsis, 8, F].fill_(1.0);
        model.forward(padded).allclose(tight, rtol: 1e-6, atol: 1e-6).Should().BeFalse();
    }

    [Fact]
    public void Gradients_of_a_few_entries_of_every_parameter_match_central_differences()
    {
        // One parameter at a time, the output is piecewise linear (ReLU network, every weight enters one product) and the
        // squared loss piecewise quadratic, so central differences are exact between kinks: the step is limited by the
        // kinks, not by truncation, while the outputs' rounding (~1e-13 at outputs ~50) divided by the step is the noise.
        const double step = 1e-4;
        using var model = PerturbedModel(members: 2, seed: 9);
        var x = Batch(2, 6, Star, Chain, Ring);
        // Targets a unit or so from the outputs: a loss of order 1 keeps the rounding of the differences (~1e-16 L / step) small.
        var y = model.forward(x).detach().add(randn([2, 3, 1], ScalarType.Float64, generator: new Generator(10)));
        double Loss() => model.forward(x).sub(y).square().sum().item<double>();

        model.forward(x).sub(y).square().sum().backward();
        var random = new Random(11);
        foreach (var p in model.Parameters)
        {
            var grad = p.Value.grad!.detach().clone();
            var flat = grad.view(-1).data<double>().ToArray();
            long perMember = flat.Length / 2;
            var entries = new List<long>();
            for (int k = 0; k < 2; k++)
            {
                grad[k].abs().sum().item<double>().Should().BeGreaterThan(0, $"member {k}'s {p.Name} must get a gradient");
                entries.Add((k * perMember) + grad[k].abs().view(-1).argmax().item<long>());
                entries.Add((k * perMember) + random.NextInt64(perMember));
            }

            foreach (long i in entries)
            {
                double numeric;
                using (no_grad())
                {
                    var entry = p.Value.view(-1)[i];
                    entry.PlusInPlace(step);
                    double up = Loss();
                    entry.PlusInPlace(-2 * step);
                    double down = Loss();
                    entry.PlusInPlace(step);
                    numeric = (up - down) / (2 * step);
                }

                numeric.Should().BeApproximately(flat[i], 1e-8 + (1e-6 * Math.Abs(flat[i])), $"{p.Name}, entry {i}");
            }
        }
    }

    [Fact]
    public void Members_are_independent_functions_of_their_own_parameters()
    {
        using var model = PerturbedModel(members: 2, seed: 12);
        var x = Batch(2, 6, Star, Chain, Ring);
        var output = model.forward(x);
        var before = output.detach().clone();
        output[0].sum().backward();
        foreach (var p in model.Parameters)
        {
            p.Value.grad![1].abs().max().item<double>().Should().Be(0, $"member 0's output must not reach member 1's {p.Name}");
            p.Value.grad![0].abs().max().item<double>().Should().BeGreaterThan(0, $"member 0's output depends on its {p.Name}");
        }

        using var noGrad = no_grad();
        var g = new Generator(13);
        foreach (var p in model.Parameters)
        {
            p.Value[0].add_(randn(p.Value.shape[1..], ScalarType.Float64, generator: g).mul_(0.5));
        }

        var after = model.forward(x);
        (after[1] - before[1]).abs().max().item<double>().Should().Be(0, "member 1's outputs must not depend on member 0's weights");
        after[0].allclose(before[0]).Should().BeFalse();
    }

    private static PopulationGcnn PerturbedModel(int members, int seed)
    {
        var model = new PopulationGcnn(members, F, E, [32, 16], 32, 32, dtype: ScalarType.Float64);
        model.Initialize([.. Enumerable.Range(seed, members).Select(s => (long)s)], [.. Enumerable.Repeat(1.0, members)]);
        // Noise on every parameter, the zero-initialized NNConv biases included, so each enters the checks.
        using var noGrad = no_grad();
        var g = new Generator((ulong)seed + 100);
        foreach (var p in model.Parameters)
        {
            p.Value.add_(randn(p.Value.shape, ScalarType.Float64, generator: g).mul_(0.2));
        }

        return model;
    }

    /// <summary>The same molecules for every member: [members, B, A, Columns(A)] in float64.</summary>
    private static Tensor Batch(int members, int atomSlots, params Molecule[] molecules)
    {
        var data = molecules.SelectMany(m => Encode(atomSlots, m.Atoms, m.Bonds)).ToArray();
        using var one = tensor(data, [1, molecules.Length, atomSlots, Grokking.Data.MoleculeGraphs.Width(atomSlots)]);
        return one.to(ScalarType.Float64).expand(members, -1, -1, -1).contiguous();
    }

    /// <summary>Node features on a grid of quarters in [-2, 2] (exact in float32, so float64 sees the same numbers).</summary>
    private static float[][] Atoms(int count, int seed)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, count).Select(_ => Enumerable.Range(0, F).Select(_ => random.Next(-8, 9) / 4f).ToArray())];
    }

    /// <summary>
    /// Omnigrok's forward for one molecule, over its edge list (each bond both ways) and real atoms only:
    /// h_i = relu(h_i·Root + Σ_{j→i} h_j·reshape(nn(e_ji), [in, out]) + bias) per layer, sum over atoms, relu(fc_1), out.
    /// </summary>
    private static double Reference(PopulationGcnn model, int k, Molecule molecule)
    {
        double[] P(string name) => model.Parameters.Single(p => p.Name == name).Value[k].detach().contiguous().data<double>().ToArray();
        long[] Shape(string name) => model.Parameters.Single(p => p.Name == name).Value.shape[1..];
        var edges = molecule.Bonds.SelectMany(b => new[] { (From: b.First, To: b.Second, b.Type), (From: b.Second, To: b.First, b.Type) }).ToArray();
        var h = molecule.Atoms.Select(a => a.Select(v => (double)v).ToArray()).ToArray();
        for (int l = 0; model.Parameters.Any(p => p.Name == $"conv.{l}.root"); l++)
        {
            string c = $"conv.{l}.";
            var shape = Shape(c + "root");
            h = Conv(h, edges, (int)shape[0], (int)shape[1],
                P(c + "edge1.weight"), P(c + "edge1.bias"), P(c + "edge2.weight"), P(c + "edge2.bias"), P(c + "root"), P(c + "bias"));
        }

        var pooled = new double[h[0].Length];
        foreach (var atom in h)
        {
            for (int o = 0; o < pooled.Length; o++)
            {
                pooled[o] += atom[o];
            }
        }

        var hidden = Dense(pooled, P("head.weight"), P("head.bias")).Select(v => Math.Max(v, 0)).ToArray();
        return Dense(hidden, P("out.weight"), P("out.bias"))[0];
    }

    /// <summary>One NNConv (aggr add, root weight, bias) then ReLU, with the edge net run on each edge's one-hot attribute.</summary>
    private static double[][] Conv(double[][] h, (int From, int To, int Type)[] edges, int inWidth, int outWidth,
        double[] w1, double[] b1, double[] w2, double[] b2, double[] root, double[] bias)
    {
        var result = h.Select(x => Dense(x, root, bias)).ToArray();
        foreach (var (from, to, type) in edges)
        {
            var attribute = new double[E];
            attribute[type] = 1;
            var hidden = Dense(attribute, w1, b1).Select(v => Math.Max(v, 0)).ToArray();
            var theta = Dense(hidden, w2, b2); // row-major [in, out], as NNConv's view(-1, in, out)
            for (int o = 0; o < outWidth; o++)
            {
                for (int a = 0; a < inWidth; a++)
                {
                    result[to][o] += h[from][a] * theta[(a * outWidth) + o];
                }
            }
        }

        return [.. result.Select(r => r.Select(v => Math.Max(v, 0)).ToArray())];
    }

    /// <summary>x·W + b with W row-major [in, out].</summary>
    private static double[] Dense(double[] x, double[] weight, double[] bias)
    {
        var y = (double[])bias.Clone();
        for (int i = 0; i < x.Length; i++)
        {
            for (int o = 0; o < y.Length; o++)
            {
                y[o] += x[i] * weight[(i * y.Length) + o];
            }
        }

        return y;
    }

    private sealed record Molecule(float[][] Atoms, (int First, int Second, int Type)[] Bonds);
}
