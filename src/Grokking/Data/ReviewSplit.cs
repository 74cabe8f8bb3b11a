using Grokking.Runtime;

namespace Grokking.Data;

/// <summary>
/// Training and test reviews of one member: <c>size</c> reviews drawn at random from the member's seed, then split
/// stratified by label as sklearn's train_test_split(stratify=y) does (Omnigrok's IMDb split, default test_size 0.25):
/// the test set has ceil(share * size) reviews, each label's training count is its proportional share of the rest
/// rounded as sklearn's _approximate_mode rounds (floors, then one more to the largest remainders; a tie goes to the
/// lower label, where sklearn draws at random), and the test set takes the remaining reviews of each label. The random
/// numbers come from <see cref="SeedStreams"/>, so a seed gives the same split on every platform and .NET version.
/// </summary>
public sealed record ReviewSplit(IReadOnlyList<Review> Train, IReadOnlyList<Review> Test)
{
    /// <summary>sklearn's default test_size, which Omnigrok keeps.</summary>
    public const double DefaultTestShare = 0.25;

    // Salts of the independent streams under SeedStreams.Split.
    private const long DrawSalt = 1;
    private const long LabelSalt = 10;
    private const long OrderSalt = 20;

    public static ReviewSplit Create(IReadOnlyList<Review> reviews, long seed, int size, double testShare = DefaultTestShare) =>
        Stratified(Draw(reviews, seed, size), seed, testShare);

    /// <summary><paramref name="size"/> distinct reviews in random order (a partial Fisher-Yates shuffle).</summary>
    public static IReadOnlyList<Review> Draw(IReadOnlyList<Review> reviews, long seed, int size)
    {
        ArgumentNullException.ThrowIfNull(reviews);
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(size, reviews.Count);
        int[] order = Shuffle(Enumerable.Range(0, reviews.Count).ToArray(), Stream(seed, DrawSalt), size);
        return order.Take(size).Select(k => reviews[k]).ToList();
    }

    /// <summary>The pool split stratified by label; each part in random order, as sklearn permutes them.</summary>
    public static ReviewSplit Stratified(IReadOnlyList<Review> pool, long seed, double testShare = DefaultTestShare)
    {
        ArgumentNullException.ThrowIfNull(pool);
        if (testShare is not (> 0 and < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(testShare), testShare, "the test share must lie strictly between 0 and 1");
        }

        if (pool.FirstOrDefault(r => r.Label is not (0 or 1)) is { } odd)
        {
            throw new ArgumentException($"a review has label {odd.Label}; labels are 0 (negative) and 1 (positive)", nameof(pool));
        }

        int nTest = (int)Math.Ceiling(testShare * pool.Count);
        int nTrain = pool.Count - nTest;
        if (nTrain < 1)
        {
            throw new ArgumentException($"{pool.Count} reviews leave no training review at test share {testShare}", nameof(pool));
        }

        int[][] byLabel =
            [.. Enumerable.Range(0, 2).Select(l => Enumerable.Range(0, pool.Count).Where(k => pool[k].Label == l).ToArray())];
        int[] trainCounts = ApproximateMode([byLabel[0].Length, byLabel[1].Length], nTrain);
        var train = new List<int>(nTrain);
        var test = new List<int>(nTest);
        for (int label = 0; label < 2; label++)
        {
            int[] shuffled = Shuffle(byLabel[label], Stream(seed, LabelSalt + label), byLabel[label].Length);
            train.AddRange(shuffled.Take(trainCounts[label]));
            test.AddRange(shuffled.Skip(trainCounts[label]));
        }

        return new ReviewSplit(Pick(pool, train, Stream(seed, OrderSalt)), Pick(pool, test, Stream(seed, OrderSalt + 1)));
    }

    /// <summary>
    /// sklearn's _approximate_mode: <paramref name="draws"/> shared in proportion to the counts, the floors raised by one
    /// for the largest remainders.
    /// </summary>
    private static int[] ApproximateMode(int[] counts, int draws)
    {
        double total = counts.Sum();
        double[] continuous = [.. counts.Select(c => c / total * draws)];
        int[] floored = [.. continuous.Select(c => (int)Math.Floor(c))];
        int missing = draws - floored.Sum();
        foreach (int k in Enumerable.Range(0, counts.Length).OrderByDescending(k => continuous[k] - floored[k]).Take(missing))
        {
            floored[k]++;
        }

        return floored;
    }

    private static List<Review> Pick(IReadOnlyList<Review> pool, List<int> indices, long stream) =>
        [.. Shuffle([.. indices], stream, indices.Count).Select(k => pool[k])];

    /// <summary>The first <paramref name="count"/> places of a Fisher-Yates shuffle of <paramref name="items"/> (a copy).</summary>
    private static int[] Shuffle(int[] items, long stream, int count)
    {
        int[] a = [.. items];
        for (int i = 0; i < Math.Min(count, a.Length - 1); i++)
        {
            int j = i + Below(stream, i, a.Length - i);
            (a[i], a[j]) = (a[j], a[i]);
        }

        return a;
    }

    private static long Stream(long seed, long salt) => SeedStreams.Derive(seed, SeedStreams.Split, salt);

    /// <summary>The k-th number of a stream, uniform in [0, bound): a 63-bit hash scaled by the bound (bias below 2^-31).</summary>
    private static int Below(long stream, long k, int bound) =>
        (int)(((UInt128)(ulong)SeedStreams.Derive(stream, SeedStreams.Split, k) * (ulong)bound) >> 63);
}
