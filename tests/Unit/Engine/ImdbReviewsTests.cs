using System.Text;
using Grokking.Data;

namespace Grokking.Tests.Unit.Engine;

/// <summary>IMDb reviews written here in Kaggle's CSV and in the Stanford aclImdb tree, read back, and split per member.</summary>
public class ImdbReviewsTests
{
    private static string WriteCsv(string text, string? directory = null)
    {
        string dir = directory ?? EngineFixtures.TempDirectory();
        // Kaggle's file is UTF-8; the byte-order mark must not end up in the header.
        File.WriteAllText(Path.Combine(dir, ImdbReviews.CsvName), text, new UTF8Encoding(encoderShouldEmitUTF8Identifier: true));
        return dir;
    }

    private static void WriteReview(string root, string folder, string name, string text)
    {
        Directory.CreateDirectory(Path.Combine(root, folder));
        File.WriteAllText(Path.Combine(root, folder, name), text);
    }

    private static string AclImdb()
    {
        string dir = EngineFixtures.TempDirectory();
        string root = Path.Combine(dir, "aclImdb");
        WriteReview(root, "train/pos", "10_9.txt", "train pos 10");
        WriteReview(root, "train/pos", "2_8.txt", "train pos 2, <br />with a comma");
        WriteReview(root, "train/neg", "11_3.txt", "train neg 11");
        WriteReview(root, "train/neg", "0_1.txt", "train neg 0");
        WriteReview(root, "test/pos", "5_10.txt", "test pos 5");
        WriteReview(root, "test/neg", "3_2.txt", "test neg 3\nsecond line");
        WriteReview(root, "train/unsup", "0_0.txt", "unlabelled, ignored");
        return dir;
    }

    [Theory]
    [InlineData("\n")]
    [InlineData("\r\n")]
    public void The_kaggle_csv_gives_its_reviews_in_file_order_with_quotes_commas_and_line_breaks(string nl)
    {
        string csv = string.Join(nl, [
            "review,sentiment",
            "\"A great film, truly. I said \"\"wow\"\".<br /><br />Loved it.\",positive",
            "Plain and dull,negative",
            "\"Two" + nl + "lines, here\",positive",
            "",
            "\"\",negative",
            "last one without a final line break,positive",
        ]);

        var reviews = ImdbReviews.Read(WriteCsv(csv));

        reviews.Should().Equal(
            new Review("A great film, truly. I said \"wow\".<br /><br />Loved it.", 1),
            new Review("Plain and dull", 0),
            new Review("Two" + nl + "lines, here", 1),
            new Review("", 0),
            new Review("last one without a final line break", 1));
    }

    [Fact]
    public void The_aclimdb_tree_gives_train_then_test_pos_then_neg_by_numeric_id_from_it_or_its_parent()
    {
        string dir = AclImdb();

        foreach (string root in new[] { dir, Path.Combine(dir, "aclImdb") })
        {
            ImdbReviews.Missing(root).Should().BeNull();
            ImdbReviews.Read(root).Should().Equal(
                new Review("train pos 2, <br />with a comma", 1),
                new Review("train pos 10", 1),
                new Review("train neg 0", 0),
                new Review("train neg 11", 0),
                new Review("test pos 5", 1),
                new Review("test neg 3\nsecond line", 0));
        }
    }

    [Fact]
    public void A_directory_with_neither_layout_is_named_with_both_layouts()
    {
        string empty = EngineFixtures.TempDirectory();
        string partial = EngineFixtures.TempDirectory();
        WriteReview(partial, "train/pos", "1_9.txt", "only training reviews");

        foreach (string dir in new[] { empty, partial, Path.Combine(empty, "absent") })
        {
            string? missing = ImdbReviews.Missing(dir);
            missing.Should().Contain(dir).And.Contain("IMDB Dataset.csv").And.Contain("aclImdb").And.Contain("test/neg").And.NotContain("\n");
            FluentActions.Invoking(() => ImdbReviews.Read(dir)).Should().Throw<FileNotFoundException>().WithMessage(missing);
        }

        ImdbReviews.Missing(WriteCsv("review,sentiment\nok,positive\n")).Should().BeNull();
    }

    [Theory]
    [InlineData("review,sentiment\n\"never closed,positive\nnext,negative\n", "line 2: a quoted field*not closed*")]
    [InlineData("review,sentiment\ngood,neutral\n", "line 2: sentiment 'neutral' is neither positive nor negative")]
    [InlineData("review,sentiment\n\"multi\nline\",positive\nok,Positive\n", "line 4: sentiment 'Positive'*")]
    [InlineData("review,sentiment\n\"quoted\" then text,positive\n", "line 2: text after the closing quote*")]
    [InlineData("review,sentiment\na,b,positive\n", "line 2: 3 fields; expected 2*")]
    [InlineData("text,label\nfine,positive\n", "header 'text,label'; expected the header review,sentiment")]
    [InlineData("", "an empty file*")]
    [InlineData("review,sentiment\n", "no reviews after the header")]
    public void A_damaged_csv_fails_with_one_line_naming_the_file_and_the_damage(string csv, string damage)
    {
        string path = Path.Combine(WriteCsv(csv), ImdbReviews.CsvName);

        var e = FluentActions.Invoking(() => ImdbReviews.Read(Path.GetDirectoryName(path)!)).Should().Throw<InvalidDataException>().Which;

        e.Message.Should().StartWith(path + ": ").And.NotContain("\n");
        e.Message.Should().Match($"{path}: {damage}");
    }

    [Fact]
    public void An_aclimdb_file_with_another_name_fails_naming_it()
    {
        string dir = AclImdb();
        string odd = Path.Combine(dir, "aclImdb", "test", "neg", "3_x.txt");
        File.WriteAllText(odd, "odd");

        FluentActions.Invoking(() => ImdbReviews.Read(dir)).Should().Throw<InvalidDataException>().WithMessage($"{odd}: not an aclImdb review name*");
    }

    private static List<Review> Pool(int positive, int negative) =>
        [.. Enumerable.Range(0, positive + negative).Select(k => new Review($"review {k}", k < positive ? 1 : 0))];

    [Fact]
    public void The_split_is_stratified_as_sklearn_rounds_it()
    {
        // 7 positive, 3 negative, test share 0.25: ceil(2.5) = 3 test reviews; training shares 4.9 and 2.1 floor to 4 and 2,
        // the larger remainder (positive) gets the 7th, so training holds 5 + 2 and the test 2 + 1.
        var split = ReviewSplit.Stratified(Pool(7, 3), seed: 0);

        split.Train.Should().HaveCount(7);
        split.Train.Count(r => r.Label == 1).Should().Be(5);
        split.Test.Count(r => r.Label == 1).Should().Be(2);
        split.Train.Concat(split.Test).Select(r => r.Text).Should().OnlyHaveUniqueItems().And.HaveCount(10);

        // Equal remainders (3 + 3 of 6 training reviews) leave nothing to round.
        var even = ReviewSplit.Stratified(Pool(4, 4), seed: 1);
        even.Test.Select(r => r.Label).Should().BeEquivalentTo(new[] { 0, 1 });
    }

    [Fact]
    public void Members_draw_their_reviews_from_their_seed_disjointly_and_deterministically()
    {
        var reviews = Pool(520, 480);

        var a = ReviewSplit.Create(reviews, seed: 0, size: 200);
        var again = ReviewSplit.Create(reviews, seed: 0, size: 200);
        var b = ReviewSplit.Create(reviews, seed: 1, size: 200);

        a.Train.Should().HaveCount(150);
        a.Test.Should().HaveCount(50);
        a.Train.Select(r => r.Text).Should().NotIntersectWith(a.Test.Select(r => r.Text));
        a.Train.Concat(a.Test).Should().OnlyHaveUniqueItems();
        int positives = a.Train.Concat(a.Test).Count(r => r.Label == 1);
        a.Test.Count(r => r.Label == 1).Should().BeCloseTo((int)Math.Round(positives * 0.25), 1);
        again.Train.Should().Equal(a.Train);
        again.Test.Should().Equal(a.Test);
        b.Test.Should().NotEqual(a.Test);
        b.Train.Select(r => r.Text).Should().NotBeEquivalentTo(a.Train.Select(r => r.Text));
    }

    [Fact]
    public void Drawing_more_reviews_than_there_are_or_an_odd_share_is_rejected()
    {
        var reviews = Pool(3, 2);

        ReviewSplit.Draw(reviews, seed: 4, size: 5).Should().BeEquivalentTo(reviews);
        FluentActions.Invoking(() => ReviewSplit.Draw(reviews, seed: 4, size: 6)).Should().Throw<ArgumentOutOfRangeException>();
        FluentActions.Invoking(() => ReviewSplit.Stratified(reviews, seed: 4, testShare: 1)).Should().Throw<ArgumentOutOfRangeException>();
        FluentActions.Invoking(() => ReviewSplit.Stratified([new Review("x", 2), new Review("y", 0)], seed: 4))
            .Should().Throw<ArgumentException>().WithMessage("*label 2*");
    }
}
