using Grokking.Configuration;
using Grokking.Runtime;
using static TorchSharp.torch;

namespace Grokking.Data;

/// <summary>
/// Omnigrok's IMDb task: each member draws Data:TrainSamples + Data:TestSamples reviews (its own random subset, like
/// og-images' images), holds back Data:TestSamples of them stratified by label, builds its vocabulary of the
/// Data:Vocabulary most frequent words of its own training reviews, and encodes both sets as token rows of
/// Data:SequenceLength (<see cref="ReviewTokenizer"/>). Two classes: negative 0, positive 1.
/// </summary>
public static class ReviewDataset
{
    public const int Classes = 2;

    public static PopulationData Create(DataOptions options, IReadOnlyList<long> seeds, Device device)
    {
        var reviews = ImdbReviews.Read(DirectoryOf(options));
        int size = options.TrainSamples + options.TestSamples;
        if (size > reviews.Count)
        {
            throw OptionsException.InvalidValue(
                "Data:TrainSamples", $"{options.TrainSamples} + Data:TestSamples {options.TestSamples}; the reviews hold {reviews.Count}");
        }

        using var scope = NewDisposeScope();
        var sets = seeds.Select(seed => Encode(options, reviews, options.SplitSeed >= 0 ? options.SplitSeed : seed, size)).ToList();
        Tensor Keep(Func<MemberSet, Tensor> pick) => stack(sets.Select(pick).ToArray()).to(device).MoveToOuterDisposeScope();
        return new PopulationData(TaskKind.Classification, Keep(s => s.TrainX), Keep(s => s.TrainY), Keep(s => s.TestX), Keep(s => s.TestY), Classes);
    }

    /// <summary>The directory Data:ReviewsDirectory names; unset is a configuration error naming the key.</summary>
    public static string DirectoryOf(DataOptions options) => options.ReviewsDirectory is { Length: > 0 } directory
        ? directory
        : throw OptionsException.InvalidValue("Data:ReviewsDirectory", "not set; it names the directory holding 'IMDB Dataset.csv' or aclImdb/");

    private sealed record MemberSet(Tensor TrainX, Tensor TrainY, Tensor TestX, Tensor TestY);

    private static MemberSet Encode(DataOptions options, IReadOnlyList<Review> reviews, long seed, int size)
    {
        var (train, test) = ReviewSplit.Create(reviews, SeedStreams.Derive(seed, SeedStreams.Split), size, (double)options.TestSamples / size);
        if (train.Count != options.TrainSamples || test.Count != options.TestSamples)
        {
            throw OptionsException.InvalidValue(
                "Data:TestSamples", $"{options.TestSamples}; a stratified split of {size} reviews gives {test.Count} test reviews");
        }

        var tokenizer = ReviewTokenizer.Fit(train.Select(r => r.Text), options.Vocabulary);
        int length = options.SequenceLength;
        Tensor Tokens(IReadOnlyList<Review> set) =>
            tensor(set.SelectMany(r => tokenizer.Encode(r.Text, length)).Select(t => (long)t).ToArray(), [set.Count, length]);
        Tensor Labels(IReadOnlyList<Review> set) => tensor(set.Select(r => (long)r.Label).ToArray(), [set.Count]);
        return new MemberSet(Tokens(train), Labels(train), Tokens(test), Labels(test));
    }
}
