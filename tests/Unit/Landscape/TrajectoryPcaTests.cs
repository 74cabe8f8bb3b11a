using Grokking.Landscape;
using Grokking.Runtime;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace Grokking.Tests.Unit.Landscape;

/// <summary>
/// PG-4's trajectory PCA (Gram trick) against independent references: a hand-computed case, a textbook PCA from the
/// explicit parameters × parameters covariance, exact planes and a random walk, block-wise accumulation equal to
/// accumulation of the whole vector, members that do not mix, and 2-D coordinates that keep a plane's distances.
/// </summary>
public sealed class TrajectoryPcaTests
{
    private readonly ITestOutputHelper output;

    public TrajectoryPcaTests(ITestOutputHelper output)
    {
        TorchRuntime.Initialize(DeviceChoice.Cpu);
        this.output = output;
    }

    [Fact]
    public void Three_points_in_the_plane_give_the_hand_computed_ratios_variances_and_coordinates()
    {
        // Points p0 = (0, 0), p1 = (4, 0), p2 = (2, 2); mean (2, 2/3).
        // Centered: (-2, -2/3), (2, -2/3), (0, 4/3).
        // Covariance (divide by T - 1 = 2): Sxx = (4 + 4 + 0) / 2 = 4, Syy = (4/9 + 4/9 + 16/9) / 2 = 4/3,
        // Sxy = ((-2)(-2/3) + (2)(-2/3) + 0) / 2 = 0: the axes are the principal axes.
        // Variances [4, 4/3], total 16/3, ratios [3/4, 1/4]; coordinates: first = ±(-2, 2, 0), second = (-2/3, -2/3, 4/3)
        // (sign convention: the largest |coordinate| is positive).
        // Gram of the raw points: <p1, p1> = 16, <p1, p2> = 8, <p2, p2> = 8, everything with p0 is 0.
        var fromGram = TrajectoryPca.FromGram(new double[,] { { 0, 0, 0 }, { 0, 16, 8 }, { 0, 8, 8 } });

        // The same points as checkpoints with two one-coordinate parameters (Of subtracts p2 = (2, 2) first).
        double[][] points = [[0, 0], [4, 0], [2, 2]];
        var checkpoints = Checkpoints(points.Select(p => new Dictionary<string, Tensor>
        {
            ["x"] = tensor(new[] { p[0] }, [1, 1]),
            ["y"] = tensor(new[] { p[1] }, [1]),
        }));
        var viaOf = TrajectoryPca.Of(checkpoints, 1)[0];
        Dispose(checkpoints);

        foreach (var pca in new[] { fromGram, viaOf })
        {
            double error = Math.Max(
                MaxAbs(pca.ExplainedVarianceRatio, [0.75, 0.25]),
                MaxAbs(pca.Variances, [4, 4.0 / 3]));
            error = Math.Max(error, MaxAbs(pca.Coordinates.Select(c => Math.Abs(c.First)).ToList(), [2, 2, 0]));
            error = Math.Max(error, MaxAbs(pca.Coordinates.Select(c => c.Second).ToList(), [-2.0 / 3, -2.0 / 3, 4.0 / 3]));
            output.WriteLine($"hand-computed 3-point case: max error {error:E2}");
            error.Should().BeLessThan(1e-14);
            pca.TopTwoShare.Should().BeApproximately(1, 1e-15);
            pca.Coordinates[0].First.Should().BeApproximately(-pca.Coordinates[1].First, 1e-14, "p0 and p1 are symmetric about the mean along x");
        }
    }

    [Fact]
    public void Ratios_and_variances_equal_a_textbook_PCA_of_the_explicit_covariance()
    {
        const int T = 12;
        const int N = 50;
        var rng = new Random(20240);
        var x = Enumerable.Range(0, T).Select(_ => Enumerable.Range(0, N).Select(_ => Gaussian(rng)).ToArray()).ToArray();

        // Under test: the Gram trick through Of, with the 50 coordinates split into a [5, 6] matrix and a 20-vector.
        var checkpoints = Checkpoints(x.Select(row => new Dictionary<string, Tensor>
        {
            ["w"] = tensor(row[..30], [1, 5, 6]),
            ["b"] = tensor(row[30..], [1, 20]),
        }));
        var pca = TrajectoryPca.Of(checkpoints, 1)[0];
        Dispose(checkpoints);

        // Reference: the paper's rows θ_t − θ_T, columns centered by their mean, covariance XᵀX / (T − 1) (N×N), its
        // eigenvalues by Jacobi and, independently, by LAPACK (torch.linalg.eigvalsh).
        var d = x.Select(row => row.Select((v, j) => v - x[T - 1][j]).ToArray()).ToArray();
        var mean = Enumerable.Range(0, N).Select(j => d.Average(row => row[j])).ToArray();
        var centered = d.Select(row => row.Select((v, j) => v - mean[j]).ToArray()).ToArray();
        var covariance = new double[N, N];
        for (int i = 0; i < N; i++)
        {
            for (int j = 0; j < N; j++)
            {
                double sum = 0;
                for (int t = 0; t < T; t++)
                {
                    sum += centered[t][i] * centered[t][j];
                }

                covariance[i, j] = sum / (T - 1);
            }
        }

        var jacobi = SymmetricEigen.Decompose(covariance).Values;
        double[] lapack;
        using (var scope = NewDisposeScope())
        {
            var flat = Enumerable.Range(0, N * N).Select(k => covariance[k / N, k % N]).ToArray();
            lapack = linalg.eigvalsh(tensor(flat, [N, N])).data<double>().ToArray().Reverse().ToArray();
        }

        double trace = Enumerable.Range(0, N).Sum(i => covariance[i, i]);
        pca.ExplainedVarianceRatio.Should().HaveCount(T - 1);
        foreach (var (name, reference) in new[] { ("Jacobi", jacobi), ("LAPACK", lapack) })
        {
            double ratioError = MaxAbs(pca.ExplainedVarianceRatio, reference.Take(T - 1).Select(v => v / trace).ToList());
            double varianceError = MaxAbs(pca.Variances, reference.Take(T - 1).ToList()) / reference[0];
            double rest = reference.Skip(T - 1).Max(Math.Abs) / reference[0];
            output.WriteLine($"vs {name} on the {N}×{N} covariance: ratio error {ratioError:E2}, relative variance error {varianceError:E2}, largest of the {N - T + 1} null eigenvalues {rest:E2} of the top; top-two share {pca.TopTwoShare:F6}");
            ratioError.Should().BeLessThan(1e-9);
            varianceError.Should().BeLessThan(1e-9);
            rest.Should().BeLessThan(1e-12, "centered data of T rows has rank at most T − 1");
        }

        MaxAbs(jacobi, lapack).Should().BeLessThan(1e-12 * lapack[0], "the two eigen solvers agree on the covariance");
    }

    [Fact]
    public void Points_on_a_plane_have_all_their_variance_in_two_components_and_a_random_walk_does_not()
    {
        const int T = 20;
        const int N = 100;
        var rng = new Random(4);
        var offset = Vector(rng, N, 10);
        var u = Vector(rng, N, 1);
        var v = Vector(rng, N, 1);
        var plane = Enumerable.Range(0, T)
            .Select(_ => (A: Gaussian(rng), B: Gaussian(rng)))
            .Select(c => offset.Select((o, j) => o + (c.A * u[j]) + (c.B * v[j])).ToArray())
            .ToArray();
        var onPlane = Pca(plane, ScalarType.Float64);
        var onPlane32 = Pca(plane, ScalarType.Float32);

        var walk = new double[T][];
        walk[0] = Vector(rng, N, 1);
        for (int t = 1; t < T; t++)
        {
            walk[t] = walk[t - 1].Select(w => w + (0.1 * Gaussian(rng))).ToArray();
        }

        var random = Pca(walk, ScalarType.Float64);
        output.WriteLine($"plane: 1 - top-two share {1 - onPlane.TopTwoShare:E2} (float64), {1 - onPlane32.TopTwoShare:E2} (float32 weights); ratios {string.Join(", ", onPlane.ExplainedVarianceRatio.Take(3).Select(r => r.ToString("E2", System.Globalization.CultureInfo.InvariantCulture)))}");
        output.WriteLine($"random walk: top-two share {random.TopTwoShare:F4}; ratios {string.Join(", ", random.ExplainedVarianceRatio.Take(4).Select(r => r.ToString("F4", System.Globalization.CultureInfo.InvariantCulture)))}");

        onPlane.TopTwoShare.Should().BeApproximately(1, 1e-12);
        onPlane32.TopTwoShare.Should().BeApproximately(1, 1e-9, "float32 weights are on the plane up to float32 rounding");
        random.TopTwoShare.Should().BeLessThan(0.98);
        random.ExplainedVarianceRatio.Sum().Should().BeApproximately(1, 1e-12);
        random.ExplainedVarianceRatio.Should().BeInDescendingOrder();
    }

    [Fact]
    public void Accumulating_block_by_block_equals_accumulating_the_concatenated_vectors()
    {
        const int T = 6;
        const int K = 2;
        var rng = new Random(11);
        long[][] shapes = [[3, 4], [7], [2, 2, 2], [1]];
        long size = shapes.Sum(s => s.Aggregate(1L, (a, b) => a * b));
        // data[t][k]: member k's flat vector at checkpoint t.
        var data = Enumerable.Range(0, T).Select(_ => Enumerable.Range(0, K).Select(_ => Vector(rng, (int)size, 1)).ToArray()).ToArray();

        using var blockwise = new TrajectoryGram(T, K);
        using var whole = new TrajectoryGram(T, K);
        using var chunked = new TrajectoryGram(T, K);
        using (var scope = NewDisposeScope())
        {
            var all = tensor(data.SelectMany(r => r.SelectMany(v => v)).ToArray(), [T, K, size]);
            long start = 0;
            foreach (var shape in shapes)
            {
                long n = shape.Aggregate(1L, (a, b) => a * b);
                blockwise.Add(all.narrow(2, start, n).reshape([T, K, .. shape]));
                start += n;
            }

            whole.Add(all);
            for (long c = 0; c < size; c += 5)
            {
                chunked.Add(all.narrow(2, c, Math.Min(5, size - c)));
            }
        }

        var byBlock = blockwise.Gram();
        var atOnce = whole.Gram();
        var byChunk = chunked.Gram();
        blockwise.Coordinates.Should().Be(size);
        double blockError = 0;
        double chunkError = 0;
        double referenceError = 0;
        for (int k = 0; k < K; k++)
        {
            double scale = Flat(atOnce[k]).Max(Math.Abs);
            blockError = Math.Max(blockError, MaxAbs(Flat(byBlock[k]), Flat(atOnce[k])) / scale);
            chunkError = Math.Max(chunkError, MaxAbs(Flat(byChunk[k]), Flat(atOnce[k])) / scale);
            var explicitGram = new double[T, T];
            for (int s = 0; s < T; s++)
            {
                for (int t = 0; t < T; t++)
                {
                    explicitGram[s, t] = data[s][k].Zip(data[t][k], (a, b) => a * b).Sum();
                }
            }

            referenceError = Math.Max(referenceError, MaxAbs(Flat(atOnce[k]), Flat(explicitGram)) / scale);
        }

        output.WriteLine($"relative Gram differences: blocks vs whole {blockError:E2}, chunks of 5 vs whole {chunkError:E2}, whole vs explicit dot products {referenceError:E2}");
        blockError.Should().BeLessThan(1e-13);
        chunkError.Should().BeLessThan(1e-13);
        referenceError.Should().BeLessThan(1e-13);
    }

    [Fact]
    public void A_members_result_does_not_depend_on_the_other_members_data()
    {
        const int T = 8;
        const int N = 30;
        var rng = new Random(5);
        var member0 = Enumerable.Range(0, T).Select(_ => Vector(rng, N, 1)).ToArray();
        var first = Enumerable.Range(0, T).Select(_ => Vector(rng, N, 1)).ToArray();
        var second = Enumerable.Range(0, T).Select(_ => Vector(rng, N, 100)).ToArray();

        var before = Pca([member0, first]);
        var after = Pca([member0, second]);
        var alone = Pca([member0]);

        after[0].ExplainedVarianceRatio.Should().Equal(before[0].ExplainedVarianceRatio);
        after[0].Variances.Should().Equal(before[0].Variances);
        after[0].Coordinates.Should().Equal(before[0].Coordinates);
        double aloneError = Math.Max(
            MaxAbs(alone[0].ExplainedVarianceRatio, before[0].ExplainedVarianceRatio),
            MaxAbs(alone[0].Variances, before[0].Variances) / alone[0].Variances[0]);
        output.WriteLine($"member 0 in a population vs alone: max difference {aloneError:E2}; member 1's top variance {before[1].Variances[0]:F3} -> {after[1].Variances[0]:F1}");
        aloneError.Should().BeLessThan(1e-14);
        after[1].Variances[0].Should().BeGreaterThan(100 * before[1].Variances[0], "member 1's data did change");
    }

    [Fact]
    public void The_two_dimensional_coordinates_keep_the_distances_between_points_on_a_plane()
    {
        const int T = 15;
        const int N = 100;
        var rng = new Random(8);
        var offset = Vector(rng, N, 3);
        var u = Vector(rng, N, 1);
        var v = Vector(rng, N, 1);
        var points = Enumerable.Range(0, T)
            .Select(_ => (A: Gaussian(rng), B: 0.3 * Gaussian(rng)))
            .Select(c => offset.Select((o, j) => o + (c.A * u[j]) + (c.B * v[j])).ToArray())
            .ToArray();

        var pca = Pca(points, ScalarType.Float64);
        double worst = 0;
        double largest = 0;
        for (int s = 0; s < T; s++)
        {
            for (int t = s + 1; t < T; t++)
            {
                double original = Math.Sqrt(points[s].Zip(points[t], (a, b) => (a - b) * (a - b)).Sum());
                var (a1, a2) = pca.Coordinates[s];
                var (b1, b2) = pca.Coordinates[t];
                double projected = Math.Sqrt(((a1 - b1) * (a1 - b1)) + ((a2 - b2) * (a2 - b2)));
                worst = Math.Max(worst, Math.Abs(projected - original));
                largest = Math.Max(largest, original);
            }
        }

        double meanFirst = pca.Coordinates.Average(c => c.First);
        double meanSecond = pca.Coordinates.Average(c => c.Second);
        output.WriteLine($"pairwise distances in 2-D vs in {N}-D: max error {worst / largest:E2} of the largest distance; coordinate means {meanFirst:E1}, {meanSecond:E1}");
        (worst / largest).Should().BeLessThan(1e-12);
        Math.Abs(meanFirst).Should().BeLessThan(1e-12 * largest, "the coordinates are of the centered points");
        Math.Abs(meanSecond).Should().BeLessThan(1e-12 * largest, "the coordinates are of the centered points");
    }

    [Fact]
    public void The_eigen_solver_reconstructs_a_symmetric_matrix_with_orthonormal_vectors()
    {
        const int N = 20;
        var rng = new Random(13);
        var m = new double[N, N];
        for (int i = 0; i < N; i++)
        {
            for (int j = 0; j <= i; j++)
            {
                m[i, j] = m[j, i] = Gaussian(rng);
            }
        }

        var (values, vectors) = SymmetricEigen.Decompose(m);
        double reconstruction = 0;
        double orthogonality = 0;
        for (int i = 0; i < N; i++)
        {
            for (int j = 0; j < N; j++)
            {
                double a = 0;
                double dot = 0;
                for (int k = 0; k < N; k++)
                {
                    a += vectors[i, k] * values[k] * vectors[j, k];
                    dot += vectors[k, i] * vectors[k, j];
                }

                reconstruction = Math.Max(reconstruction, Math.Abs(a - m[i, j]));
                orthogonality = Math.Max(orthogonality, Math.Abs(dot - (i == j ? 1 : 0)));
            }
        }

        output.WriteLine($"Jacobi on a random symmetric {N}×{N}: |V Λ Vᵀ − A| {reconstruction:E2}, |VᵀV − I| {orthogonality:E2}");
        reconstruction.Should().BeLessThan(1e-12);
        orthogonality.Should().BeLessThan(1e-12);
        values.Should().BeInDescendingOrder();
    }

    // One member, each row split into a [1, 4, 5] parameter and a [1, rest] parameter, in the given dtype.
    private static TrajectoryPca Pca(double[][] rows, ScalarType dtype)
    {
        var checkpoints = Checkpoints(rows.Select(row => new Dictionary<string, Tensor>
        {
            ["layer.weight"] = tensor(row[..20], [1, 4, 5], dtype),
            ["layer.bias"] = tensor(row[20..], [1, row.Length - 20], dtype),
        }));
        var pca = TrajectoryPca.Of(checkpoints, 1)[0];
        Dispose(checkpoints);
        return pca;
    }

    // members[k][t]: member k's flat vector at checkpoint t, stored as one [K, 10] and one [K, rest] parameter.
    private static IReadOnlyList<TrajectoryPca> Pca(double[][][] members)
    {
        int k = members.Length;
        int rows = members[0].Length;
        int n = members[0][0].Length;
        var checkpoints = Checkpoints(Enumerable.Range(0, rows).Select(t => new Dictionary<string, Tensor>
        {
            ["a"] = tensor(members.SelectMany(m => m[t][..10]).ToArray(), [k, 10]),
            ["b"] = tensor(members.SelectMany(m => m[t][10..]).ToArray(), [k, n - 10]),
        }));
        var result = TrajectoryPca.Of(checkpoints, k);
        Dispose(checkpoints);
        return result;
    }

    private static List<IReadOnlyDictionary<string, Tensor>> Checkpoints(IEnumerable<Dictionary<string, Tensor>> states) =>
        states.Select(s => (IReadOnlyDictionary<string, Tensor>)s).ToList();

    private static void Dispose(List<IReadOnlyDictionary<string, Tensor>> checkpoints)
    {
        foreach (var t in checkpoints.SelectMany(c => c.Values))
        {
            t.Dispose();
        }
    }

    private static double Gaussian(Random rng) =>
        Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());

    private static double[] Vector(Random rng, int n, double scale) =>
        Enumerable.Range(0, n).Select(_ => scale * Gaussian(rng)).ToArray();

    private static double[] Flat(double[,] m) => m.Cast<double>().ToArray();

    private static double MaxAbs(IReadOnlyList<double> actual, IReadOnlyList<double> expected)
    {
        actual.Should().HaveCount(expected.Count);
        return actual.Zip(expected, (a, b) => Math.Abs(a - b)).Max();
    }
}
